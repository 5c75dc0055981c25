#!/usr/bin/env bash
# Regenerates the bundled font: Noto Sans CJK SC (SIL OFL 1.1) Regular and Bold, subset to the
# 6763 characters of GB 2312, ASCII, Latin-1, general punctuation, CJK symbols and punctuation,
# and full-width forms, so that ordinary Chinese text renders without tofu at a fraction of the
# size. Needs Debian's fonts-noto-cjk and fonttools (python3-fonttools).
set -euo pipefail
cd "$(dirname "$0")"
src=/usr/share/fonts/opentype/noto
chars=$(mktemp)
/usr/bin/python3 - "$chars" <<'PY'
import sys
out = set()
# GB 2312: symbol rows 1-9 (0xA1-0xA9) and hanzi rows 16-87 (0xB0-0xF7).
for hi in [*range(0xA1, 0xAA), *range(0xB0, 0xF8)]:
    for lo in range(0xA1, 0xFF):
        try:
            out.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
ranges = [(0x20, 0x7E), (0xA0, 0xFF), (0x2000, 0x206F), (0x2100, 0x214F), (0x2190, 0x21FF),
          (0x2460, 0x24FF), (0x2500, 0x25FF), (0x2600, 0x26FF), (0x3000, 0x303F),
          (0xFF00, 0xFFEF)]
for a, b in ranges:
    out.update(chr(c) for c in range(a, b + 1))
hanzi = sum(1 for c in out if 0x4E00 <= ord(c) <= 0x9FFF)
assert hanzi >= 6763, hanzi
open(sys.argv[1], "w", encoding="utf-8").write("".join(sorted(out)))
print(f"{len(out)} characters, {hanzi} hanzi", file=sys.stderr)
PY
for weight in Regular Bold; do
  /usr/bin/python3 -m fontTools.subset "$src/NotoSansCJK-$weight.ttc" --font-number=2 \
    --text-file="$chars" --name-IDs='*' --name-languages='*' --layout-features='*' \
    --output-file="NotoSansSC-$weight.otf"
done
rm -f "$chars"
ls -l NotoSansSC-*.otf
