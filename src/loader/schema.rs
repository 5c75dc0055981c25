//! `signage schema`: a JSON Schema of the playlist for editors' tools. With a `#:schema` line at
//! the top of a playlist, taplo-based editors (VS Code's Even Better TOML, and others) complete
//! keys, show help on hover in Chinese and English, and flag mistakes while typing. Built from
//! the parser's own key and value lists, and a test keeps every table's keys in step with it.

use serde_json::{json, Map, Value};

use super::parse::{ALIGNS, EDGES, FITS, TRANSITIONS, WEEKDAYS};
use crate::model::schedule::Festival;

/// The schema, as `signage schema` prints it.
pub fn schema() -> Value {
    let mut root = table(
        "signage 播放列表 / signage playlist",
        &[
            ("display", display(), "显示屏：画布大小、位置、开屏时段和亮度 / The LED wall: canvas size, placement, on-hours and brightness"),
            ("defaults", defaults(), "所有幻灯片的默认设置 / Settings every slide starts from"),
            ("ticker", ticker(), "底部或顶部滚动字幕 / The scrolling ticker band"),
            (
                "slides",
                json!({"type": "array", "items": slide()}),
                "幻灯片，按顺序播放 / The slides, played in order",
            ),
            (
                "zones",
                json!({"type": "array", "items": zone()}),
                "区域：画布上的矩形，各自轮播自己的幻灯片 / Zones: rectangles of the canvas, each cycling its own slides",
            ),
            (
                "layouts",
                json!({"type": "array", "items": layout()}),
                "按日程替换顶层区域的布局，第一个可用的生效 / Layouts that replace the top-level zones by schedule; the first eligible wins",
            ),
            ("calendar", calendar(), "本播放列表自己列出的放假和调休上班日，用于 signage 尚未收录的年份 / Public holidays and make-up working days the playlist lists itself, for a year signage does not know yet"),
        ],
    );
    root["$schema"] = json!("http://json-schema.org/draft-07/schema#");
    root["$id"] = json!("https://signage.invalid/playlist.schema.json");
    root
}

fn display() -> Value {
    table(
        "显示屏 / The LED wall",
        &[
            ("width", int(1, 8192, 1920), "画布宽度（像素，LED 屏的实际像素） / Canvas width in the wall's pixels"),
            ("height", int(1, 8192, 1080), "画布高度（像素） / Canvas height in the wall's pixels"),
            ("background", color("#000000"), "背景色 / Background colour"),
            (
                "region",
                table(
                    "发送卡采集的桌面位置 / Where the sending card captures the desktop",
                    &[
                        ("x", int(-65536, 65536, 0), "左边缘（物理像素） / Left edge, physical pixels"),
                        ("y", int(-65536, 65536, 0), "上边缘（物理像素） / Top edge, physical pixels"),
                    ],
                ),
                "在桌面此处按原尺寸显示 / Play at this desktop position, 1:1",
            ),
            ("fullscreen", boolean(false), "无边框全屏 / Borderless fullscreen"),
            ("monitor", int(0, 63, 0), "全屏所用显示器编号（0 为第一个） / Monitor for fullscreen (0 = first)"),
            ("allow_outside_paths", boolean(false), "允许使用播放列表文件夹之外的图片 / Allow images from outside the playlist's folder"),
            (
                "on_hours",
                json!({"type": "array", "minItems": 1, "items": window()}),
                "开屏时段，其余时间全黑 / When the wall is on; black outside, e.g. [\"07:00-22:00\"]",
            ),
            (
                "brightness",
                json!({"type": "array", "items": table(
                    "亮度档 / A brightness step",
                    &[
                        ("from", time_of_day(), "从此时起 / From this time of day"),
                        ("level", int(0, 100, 100), "亮度百分比 / Brightness in percent"),
                    ],
                )}),
                "按时段调亮度（线性光） / Brightness through the day, e.g. [{ from = \"19:00\", level = 50 }]",
            ),
        ],
    )
}

fn defaults() -> Value {
    table(
        "默认设置 / Defaults",
        &[
            (
                "duration",
                duration("8s"),
                "每张幻灯片的时长 / How long each slide shows",
            ),
            ("transition", transition(), "切换效果 / How slides come in"),
            ("font", font(), "字体 / Font family"),
            ("color", color("#ffffff"), "文字颜色 / Text colour"),
            (
                "background",
                color("#000000"),
                "幻灯片背景色 / Slide background",
            ),
            (
                "title_size",
                size(),
                "标题字号（像素） / Title size, pixels",
            ),
            ("body_size", size(), "正文字号（像素） / Body size, pixels"),
            (
                "align",
                choice(ALIGNS, "center"),
                "文字对齐 / Text alignment",
            ),
            (
                "fit",
                choice(FITS, "contain"),
                "图片适配方式 / How an image fits the slide",
            ),
        ],
    )
}

fn ticker() -> Value {
    table(
        "滚动字幕 / Ticker",
        &[
            ("enabled", boolean(true), "是否显示字幕 / Whether there is a ticker"),
            ("text", live_text(), "字幕文字，默认为社会主义核心价值观；可用 {date} {time} {weekday} {lunar} {solar_term} {festival} {countdown:YYYY-MM-DD} {year} / The text, by default the core socialist values; placeholders {date} {time} {weekday} {lunar} {solar_term} {festival} {countdown:YYYY-MM-DD} {year}"),
            (
                "speed",
                json!({"type": "number", "minimum": 1, "maximum": 10000, "default": 120}),
                "速度（像素/秒） / Speed, pixels per second",
            ),
            ("position", choice(EDGES, "bottom"), "位置 / Top or bottom"),
            ("height", int(1, 8192, 64), "字幕条高度（像素） / Band height, pixels"),
            ("font_size", size(), "字号（像素） / Text size, pixels"),
            ("font", font(), "字体 / Font family"),
            ("color", color("#ffd700"), "文字颜色 / Text colour"),
            ("background", color("#b00000"), "字幕条背景色 / Band colour"),
            ("separator", json!({"type": "string", "default": "   ★   "}), "每遍之间的分隔 / Between repetitions"),
            ("snap_to_pixel", boolean(true), "每帧移动整像素（LED 屏防抖） / Move whole pixels each frame (no shimmer on LED)"),
        ],
    )
}

fn slide() -> Value {
    table(
        "幻灯片 / A slide",
        &[
            ("name", json!({"type": "string"}), "名称（日志和报告中使用） / Name, for logs and reports"),
            ("image", json!({"type": "string", "minLength": 1}), "图片文件（相对播放列表；GIF、WebP、PNG 动图按各帧时长播放） / Image file, relative to the playlist (animated GIF, WebP and PNG play at their own frame delays)"),
            ("video", json!({"type": "string", "minLength": 1}), "视频文件（H.264 MP4，相对播放列表；无声播放） / Video clip (H.264 MP4, relative to the playlist; plays silent)"),
            ("loop", boolean(true), "时长长于视频或动图时循环播放（否则停在最后一帧） / Longer than the clip or animation: play it again (else hold its last frame)"),
            ("fit", choice(FITS, "contain"), "图片或视频适配方式 / How the image or clip fits"),
            ("title", live_text(), "标题；可用 {date} {time} {lunar} 等 / Title; placeholders such as {date} {time} {lunar}"),
            ("body", live_text(), "正文；可用 {date} {time} {lunar} 等 / Body text; placeholders such as {date} {time} {lunar}"),
            ("align", choice(ALIGNS, "center"), "文字对齐 / Text alignment"),
            ("title_size", size(), "标题字号（像素） / Title size, pixels"),
            ("body_size", size(), "正文字号（像素） / Body size, pixels"),
            ("color", color("#ffffff"), "文字颜色 / Text colour"),
            ("font", font(), "字体 / Font family"),
            ("background", color("#000000"), "背景色 / Background colour"),
            ("background_image", json!({"type": "string", "minLength": 1}), "文字幻灯片的背景图 / A text slide's background image"),
            ("duration", duration("8s"), "时长 / How long it shows"),
            ("transition", transition(), "进入方式 / How it comes in"),
            ("when", when(), "播放时间 / When it plays"),
            ("priority", boolean(false), "优先：可播时只播优先幻灯片 / While eligible, only priority slides play"),
            ("zone", json!({"type": "string", "default": "main"}), "所在区域（默认 main） / The zone it plays in (main if none)"),
        ],
    )
}

fn zone() -> Value {
    let mut ticker = ticker();
    let props = ticker["properties"].as_object_mut().expect("a table");
    for key in ["enabled", "position", "height"] {
        props.remove(key);
    }
    ticker["description"] = json!("区域内的滚动字幕（充满区域） / A crawl filling the zone");
    let mut zone = table(
        "区域 / A zone",
        &[
            ("name", json!({"type": "string", "minLength": 1}), "名称，幻灯片用 zone = \"名称\" 指定；main 为主区域 / Name; slides name it with zone = \"name\"; main is the main zone"),
            ("x", int(0, 8192, 0), "左边缘（像素） / Left edge, pixels"),
            ("y", int(0, 8192, 0), "上边缘（像素） / Top edge, pixels"),
            ("width", int(1, 8192, 640), "宽度（像素） / Width, pixels"),
            ("height", int(1, 8192, 160), "高度（像素） / Height, pixels"),
            ("background", color("#000000"), "背景色 / Background colour"),
            ("order", int(-1000, 1000, 0), "层叠次序，大的在前 / Stacking: higher is in front"),
            ("follows", json!({"type": "string"}), "跟随另一区域换片（如图片下的说明） / Change slides with this zone (a caption under a picture)"),
            ("ticker", ticker, "区域内的滚动字幕 / A crawl filling the zone"),
        ],
    );
    zone["required"] = json!(["name", "x", "y", "width", "height"]);
    zone
}

fn layout() -> Value {
    table(
        "布局 / A layout",
        &[
            ("name", json!({"type": "string"}), "名称 / Name"),
            ("when", when(), "何时使用此布局 / When this layout is on"),
            (
                "zones",
                json!({"type": "array", "items": zone()}),
                "此布局的区域 / Its zones",
            ),
        ],
    )
}

fn when() -> Value {
    let weekdays: Vec<&str> = WEEKDAYS.iter().map(|(n, _)| *n).collect();
    let festivals: Vec<&str> = Festival::ALL.iter().map(|(n, _)| *n).collect();
    table(
        "播放时间 / When",
        &[
            ("from", date(), "开始日期 / First day"),
            ("until", date(), "结束日期（含） / Last day, included"),
            (
                "weekdays",
                json!({"type": "array", "items": {"enum": weekdays}}),
                "星期几 / Days of the week",
            ),
            (
                "hours",
                json!({"type": "array", "minItems": 1, "items": window()}),
                "每天的时段 / Times of day, e.g. [\"08:00-12:00\"]",
            ),
            (
                "festival",
                json!({"enum": festivals}),
                "节日（农历节日每年日期不同） / A festival (lunar ones move every year)",
            ),
            (
                "days_before",
                int(0, 60, 0),
                "节日前几天开始 / Days before the festival",
            ),
            (
                "days_after",
                int(0, 60, 0),
                "节日后几天结束 / Days after the festival",
            ),
            (
                "workdays",
                json!({"const": true}),
                "只在法定工作日（含调休上班） / Official working days only, make-up days included",
            ),
            (
                "rest_days",
                json!({"const": true}),
                "只在休息日和法定假日 / Rest days and public holidays only",
            ),
        ],
    )
}

fn transition() -> Value {
    let kinds = choice(TRANSITIONS, "fade");
    json!({"oneOf": [
        kinds.clone(),
        table(
            "切换效果 / Transition",
            &[
                ("kind", kinds, "效果 / Kind"),
                ("duration", duration("600ms"), "时长 / Duration"),
            ],
        ),
    ]})
}

/// A table that accepts exactly `keys`, each with its description.
fn table(title: &str, keys: &[(&str, Value, &str)]) -> Value {
    let mut properties = Map::new();
    for (key, value, description) in keys {
        let mut value = value.clone();
        value["description"] = json!(description);
        properties.insert(key.to_string(), value);
    }
    json!({
        "type": "object",
        "title": title,
        "additionalProperties": false,
        "properties": properties,
    })
}

fn choice<T>(options: &[(&str, T)], default: &str) -> Value {
    let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
    json!({"enum": names, "default": default})
}

fn int(min: i64, max: i64, default: i64) -> Value {
    json!({"type": "integer", "minimum": min, "maximum": max, "default": default})
}

fn boolean(default: bool) -> Value {
    json!({"type": "boolean", "default": default})
}

fn color(default: &str) -> Value {
    json!({"type": "string", "pattern": "^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$", "default": default})
}

fn duration(default: &str) -> Value {
    json!({"type": "string", "pattern": "^([0-9]+(\\.[0-9]+)?(ms|h|m|s))+$", "default": default})
}

fn size() -> Value {
    json!({"type": "number", "minimum": 4, "maximum": 1000})
}

fn font() -> Value {
    json!({"type": "string", "default": crate::model::playlist::DEFAULT_FONT})
}

fn live_text() -> Value {
    json!({"type": "string"})
}

fn time_of_day() -> Value {
    json!({"type": "string", "pattern": "^[0-9]{1,2}:[0-9]{2}$"})
}

fn window() -> Value {
    json!({"type": "string", "pattern": "^[0-9]{1,2}:[0-9]{2}-[0-9]{1,2}:[0-9]{2}$"})
}

fn calendar() -> Value {
    let days = json!({"type": "array", "items": {
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}(\\.\\.[0-9]{4}-[0-9]{2}-[0-9]{2})?$",
    }});
    table(
        "放假安排 / Official arrangement",
        &[
            ("holidays", days.clone(), "放假日，如 [\"2027-10-01..2027-10-07\"] / Public holidays, e.g. [\"2027-10-01..2027-10-07\"]"),
            ("workdays", days, "调休上班日，如 [\"2027-09-26\"] / Make-up working days, e.g. [\"2027-09-26\"]"),
        ],
    )
}

fn date() -> Value {
    // A TOML date (2027-03-01) reaches the schema as a string, like a quoted one.
    json!({"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}"})
}

#[cfg(test)]
mod tests {
    use super::super::parse::{
        BRIGHTNESS_KEYS, CALENDAR_KEYS, DEFAULTS_KEYS, DISPLAY_KEYS, LAYOUT_KEYS, REGION_KEYS,
        ROOT_KEYS, SLIDE_KEYS, TICKER_KEYS, TRANSITION_KEYS, WHEN_KEYS, ZONE_KEYS,
        ZONE_TICKER_KEYS,
    };
    use super::*;

    fn keys(v: &Value) -> Vec<String> {
        let mut k: Vec<String> = v["properties"]
            .as_object()
            .expect("a table")
            .keys()
            .cloned()
            .collect();
        k.sort();
        k
    }

    fn sorted(list: &[&str]) -> Vec<String> {
        let mut k: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        k.sort();
        k
    }

    #[test]
    fn every_table_has_exactly_the_keys_the_parser_accepts() {
        let s = schema();
        let p = &s["properties"];
        assert_eq!(keys(&s), sorted(ROOT_KEYS));
        assert_eq!(keys(&p["display"]), sorted(DISPLAY_KEYS));
        assert_eq!(
            keys(&p["display"]["properties"]["region"]),
            sorted(REGION_KEYS)
        );
        let brightness = &p["display"]["properties"]["brightness"]["items"];
        assert_eq!(keys(brightness), sorted(BRIGHTNESS_KEYS));
        assert_eq!(keys(&p["defaults"]), sorted(DEFAULTS_KEYS));
        assert_eq!(keys(&p["ticker"]), sorted(TICKER_KEYS));
        assert_eq!(keys(&p["calendar"]), sorted(CALENDAR_KEYS));
        let slide = &p["slides"]["items"];
        assert_eq!(keys(slide), sorted(SLIDE_KEYS));
        assert_eq!(keys(&slide["properties"]["when"]), sorted(WHEN_KEYS));
        let zone = &p["zones"]["items"];
        assert_eq!(keys(zone), sorted(ZONE_KEYS));
        assert_eq!(
            keys(&zone["properties"]["ticker"]),
            sorted(ZONE_TICKER_KEYS)
        );
        let layout = &p["layouts"]["items"];
        assert_eq!(keys(layout), sorted(LAYOUT_KEYS));
        assert_eq!(
            keys(&layout["properties"]["zones"]["items"]),
            sorted(ZONE_KEYS)
        );
        let transition = &slide["properties"]["transition"]["oneOf"][1];
        assert_eq!(keys(transition), sorted(TRANSITION_KEYS));
    }

    #[test]
    fn every_key_is_described_in_chinese_and_english() {
        fn walk(v: &Value, path: &str) {
            if let Some(props) = v.get("properties").and_then(Value::as_object) {
                for (k, p) in props {
                    let d = p["description"].as_str().unwrap_or_default();
                    let (zh, en) = d
                        .split_once(" / ")
                        .unwrap_or_else(|| panic!("{path}.{k}: {d}"));
                    assert!(zh.chars().any(|c| c >= '\u{4e00}'), "{path}.{k}: {zh}");
                    assert!(en.is_ascii() && !en.is_empty(), "{path}.{k}: {en}");
                    walk(p, &format!("{path}.{k}"));
                    walk(&p["items"], &format!("{path}.{k}[]"));
                    for alt in p["oneOf"].as_array().into_iter().flatten() {
                        walk(alt, &format!("{path}.{k}"));
                    }
                }
            }
        }
        walk(&schema(), "");
    }

    #[test]
    fn the_shipped_schema_file_is_what_signage_schema_prints() {
        let shipped = include_str!("../../playlists/signage.schema.json");
        let printed = serde_json::to_string_pretty(&schema()).unwrap() + "\n";
        assert!(
            shipped == printed,
            "playlists/signage.schema.json is stale: run `cargo run -- schema > playlists/signage.schema.json`"
        );
    }
}
