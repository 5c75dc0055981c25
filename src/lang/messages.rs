//! Every message, English and Chinese side by side. A field in `{braces}` is a value carried as
//! it is (a name, a path, a number) or one of the program's own words (a `Msg` or a [`Kind`]),
//! which follows the language; `{{` and `}}` are a brace.

declare_messages! {
    /// A kind of TOML value, as "must be …, found …" names it.
    pub enum Kind {
        String => "a string", "字符串";
        WholeNumber => "a whole number", "整数";
        DecimalNumber => "a decimal number", "小数";
        Number => "a number", "数字";
        TrueFalse => "true/false", "true/false";
        TrueOrFalse => "true or false", "true 或 false";
        DateTime => "a date/time", "日期/时间";
        Array => "an array", "数组";
        ArrayLike => "an array, like [\"a\", \"b\"]", "数组，如 [\"a\", \"b\"]";
        Table => "a table", "表";
    }
}

declare_messages! {
    pub enum Msg {
        // Labels.
        LabelError => "error", "错误";
        LabelWarning => "warning", "警告";
        LabelHelp => "help", "提示";

        // Reading the playlist.
        PlaylistEmpty => "the playlist is empty (0 bytes)", "播放列表是空的（0 字节）";
        PlaylistBlank => "the playlist contains only blank space", "播放列表里只有空白";
        WaitOrWriteSlides
            => "if it is being saved or copied, wait for it to finish; otherwise write [[slides]] and [ticker] into it",
               "如果正在保存或复制，请等它完成；否则请在其中写入 [[slides]] 和 [ticker]";
        PlaylistNotUtf8 { byte: usize }
            => "the playlist is not UTF-8 text (byte {byte} is not; GBK?)",
               "播放列表不是 UTF-8 文本（第 {byte} 字节不是；可能是 GBK？）";
        PlaylistUtf16
            => "the playlist is saved as UTF-16 (\"Unicode\"), not UTF-8",
               "播放列表保存成了 UTF-16（“Unicode”），不是 UTF-8";
        SaveAsUtf8
            => "save it as UTF-8 (Notepad: File > Save as > Encoding: UTF-8)",
               "请另存为 UTF-8（记事本：文件 > 另存为 > 编码：UTF-8）";
        PlaylistTooLarge { size: String, limit: String }
            => "the playlist is {size}, more than the {limit} a playlist may be",
               "播放列表有 {size}，超过播放列表允许的 {limit}";
        RightFileHelp
            => "is this the right file? A playlist is TOML text of a few KB",
               "文件对吗？播放列表是几 KB 的 TOML 文本";
        PlaylistNotFound => "the playlist was not found", "找不到播放列表";
        CheckPathHelp
            => "check the path; on a share, check that it is mounted",
               "请检查路径；如在共享文件夹上，请检查是否已挂载";
        PlaylistIs { problem: Box<Msg> } => "the playlist {problem}", "播放列表{problem}";
        PointAtPlaylistHelp
            => "point the player at the playlist's .toml file",
               "请让播放器指向播放列表的 .toml 文件";
        TomlSyntax { error: String } => "TOML syntax: {error}", "TOML 语法错误：{error}";
        TomlHelp
            => "see https://toml.io for the syntax; strings need \"quotes\"",
               "语法见 https://toml.io；字符串要加“引号”";

        // Keys and values.
        UnknownKeyAtTop { key: String }
            => "unknown key `{key}` at the top level", "顶层没有 `{key}` 这个键";
        UnknownKey { key: String, table: String }
            => "unknown key `{key}` in `{table}`", "`{table}` 中没有 `{key}` 这个键";
        DidYouMeanKey { key: String } => "did you mean `{key}`?", "是不是 `{key}`？";
        ValidKeys { keys: String } => "valid keys here: {keys}", "此处可用的键：{keys}";
        WrongType { key: String, expected: Kind, found: Kind }
            => "`{key}` must be {expected}, found {found}", "`{key}` 应为{expected}，实际是{found}";
        NotFinite { key: String } => "`{key}` must be a finite number", "`{key}` 应为有限的数";
        OutOfRange { key: String } => "`{key}` is out of range", "`{key}` 超出范围";
        IsOutOfRange { key: String, value: i64 }
            => "`{key}` is {value}, which is out of range", "`{key}` 为 {value}，超出范围";
        WholeNumberFrom { min: i64, max: i64 }
            => "use a whole number from {min} to {max}", "请用 {min} 到 {max} 之间的整数";
        CannotBe { key: String, value: String }
            => "`{key}` cannot be \"{value}\"", "`{key}` 不能是“{value}”";
        DidYouMeanChoice { near: String, choices: String }
            => "did you mean \"{near}\"? (one of: {choices})", "是不是“{near}”？（可选：{choices}）";
        UseOneOf { choices: String } => "use one of: {choices}", "可选：{choices}";
        /// A value's problem, after the key it was written for.
        Key { key: String, problem: Box<Msg> } => "`{key}`: {problem}", "`{key}`：{problem}";
        NotAColour { value: String }
            => "\"{value}\" is not a colour; write \"#rrggbb\" or \"#rrggbbaa\" in hex, e.g. \"#ffd700\"",
               "“{value}”不是颜色；请写十六进制的“#rrggbb”或“#rrggbbaa”，如“#ffd700”";
        NotADuration { value: String }
            => "\"{value}\" is not a duration; write e.g. \"8s\", \"1m30s\" or \"500ms\"",
               "“{value}”不是时长；请写如“8s”“1m30s”或“500ms”";
        DurationTooLong { value: String }
            => "\"{value}\" is too long; a duration must be under a year",
               "“{value}”太长；时长须短于一年";
        IsZero { key: String } => "`{key}` is zero", "`{key}` 为零";
        PositiveDurationHelp
            => "use a positive duration, e.g. \"8s\"", "请用正的时长，如“8s”";
        NeedsUnit { key: String } => "`{key}` needs a unit", "`{key}` 缺少单位";
        SecondsHelp { n: String }
            => "write \"{n}s\" for {n} seconds, or e.g. \"500ms\", \"1m30s\"",
               "{n} 秒写作“{n}s”，或如“500ms”“1m30s”";
        NotADate { value: String }
            => "\"{value}\" is not a date; write \"YYYY-MM-DD\", e.g. \"2027-03-01\"",
               "“{value}”不是日期；请写“YYYY-MM-DD”，如“2027-03-01”";
        DatesHelp => "write dates as YYYY-MM-DD", "日期请写成 YYYY-MM-DD";
        NotATime { value: String }
            => "\"{value}\" is not a time of day; write 24-hour \"HH:MM\", e.g. \"07:30\"",
               "“{value}”不是时刻；请写 24 小时制“HH:MM”，如“07:30”";
        NotATimeIn { value: String, window: String }
            => "\"{value}\" is not a time of day; write 24-hour \"HH:MM\", e.g. \"07:30\" (in \"{window}\")",
               "“{value}”不是时刻；请写 24 小时制“HH:MM”，如“07:30”（在“{window}”中）";
        NotAWindow { value: String }
            => "\"{value}\" is not a time window; write \"HH:MM-HH:MM\", e.g. \"08:00-12:00\"",
               "“{value}”不是时段；请写“HH:MM-HH:MM”，如“08:00-12:00”";
        EmptyWindow { value: String }
            => "\"{value}\" is an empty window (start = end)", "“{value}”是空时段（开始 = 结束）";
        WindowStartsAt24 { value: String }
            => "\"{value}\" starts at 24:00, the end of the day; a window starts at 00:00 to 23:59",
               "“{value}”从 24:00（一天的结束）开始；时段应从 00:00 到 23:59 之间开始";
        FontSizeRange { key: String, value: String }
            => "`{key}` is {value}; font sizes are pixels from 4 to 1000",
               "`{key}` 为 {value}；字号是 4 到 1000 像素";
        SpeedRange { key: String, value: String, min: f64, max: f64 }
            => "`{key}` is {value}; it must be from {min} to {max} pixels per second",
               "`{key}` 为 {value}；须在每秒 {min} 到 {max} 像素之间";
        CalmCrawlHelp
            => "120 is a calm crawl; use `enabled = false` to switch the ticker off",
               "120 是平稳的速度；关闭字幕请用 `enabled = false`";
        TickerTextEmpty => "`ticker.text` is empty", "`ticker.text` 是空的";
        TickerTextEmptyHelp
            => "write the text to scroll, or set `enabled = false` for no ticker",
               "请写要滚动的文字，或设 `enabled = false` 不要字幕";
        TickerTextLong { chars: usize }
            => "`ticker.text` is {chars} characters long; a ticker is read in passing, and this one takes minutes to come round",
               "`ticker.text` 有 {chars} 个字符；跑马灯是路过时看的，这条要好几分钟才转一圈";
        TickerTextLongHelp { limit: usize }
            => "keep the ticker under {limit} characters (a few sentences); put longer text on slides",
               "跑马灯请少于 {limit} 个字符（几句话）；较长的文字请放在幻灯片上";
        LeftOut { key: String } => "`{key}` is empty; it is left out", "`{key}` 是空的，已略去";
        WriteTextHelp => "write the text, or remove the line", "请写上文字，或删去这一行";

        // The display.
        RegionAndFullscreen
            => "`display.region` and `display.fullscreen = true` cannot both be set",
               "`display.region` 和 `display.fullscreen = true` 不能同时设置";
        RegionOrFullscreenHelp
            => "use region for a LED sending card's capture rectangle, or fullscreen for a whole monitor",
               "LED 发送卡采集区域用 region，整块显示器用 fullscreen";
        Needs { key: String, needed: String } => "`{key}` needs `{needed}`", "`{key}` 缺少 `{needed}`";
        RegionHelp
            => "write region = {{ x = 0, y = 0 }} (the desktop pixel the LED card captures from)",
               "请写 region = {{ x = 0, y = 0 }}（LED 发送卡开始采集的桌面像素）";
        OnHoursEmpty
            => "`display.on_hours` is empty, so the wall is never on",
               "`display.on_hours` 是空的，屏幕永远不会亮";
        OnHoursHelp
            => "list windows like [\"07:00-22:00\"], or remove `on_hours` to stay on all day",
               "请列出时段，如 [\"07:00-22:00\"]；或删去 `on_hours` 全天常亮";
        BrightnessStepHelp
            => "write {{ from = \"19:00\", level = 50 }}: from this time on, 50 % brightness",
               "请写 {{ from = \"19:00\", level = 50 }}：从此时起亮度 50 %";
        BrightnessStepStart
            => "brightness steps start at 00:00 to 23:59", "亮度档须从 00:00 到 23:59 之间开始";
        TwoBrightnessSteps { at: String }
            => "two brightness steps start at {at}", "有两个亮度档都从 {at} 开始";
        OneLevelHelp => "keep one level per starting time", "每个开始时间只留一个亮度";

        // Slides.
        ImageAndText { slide: String, key: String }
            => "slide \"{slide}\" has both `image` and `{key}`",
               "幻灯片“{slide}”同时有 `image` 和 `{key}`";
        ImageOnlyHelp
            => "an image slide shows only the image; for text over a picture use `title`/`body` with `background_image`",
               "图片幻灯片只显示图片；要在图片上加文字，请用 `title`/`body` 加 `background_image`";
        NothingToShow { slide: String }
            => "slide \"{slide}\" has nothing to show", "幻灯片“{slide}”没有可显示的内容";
        NothingToShowHelp
            => "give it `image = \"images/file.png\"`, or `title` and/or `body` text",
               "请给它 `image = \"images/file.png\"`，或 `title` 和/或 `body` 文字";
        FitIgnored
            => "`fit` only applies to `image` slides; it is ignored here",
               "`fit` 只对图片幻灯片有效，这里忽略";
        PlaylistDefinesNothing
            => "the playlist defines nothing to show: no [[slides]] and no [ticker]",
               "播放列表没有可显示的内容：没有 [[slides]]，也没有 [ticker]";
        PlaylistDefinesNothingHelp
            => "add [[slides]]; an empty [ticker] table shows the default core-values ticker",
               "请添加 [[slides]]；空的 [ticker] 表会显示默认的核心价值观字幕";
        PlaylistShowsNothing
            => "the playlist has nothing to show: no slides and the ticker is off",
               "播放列表没有可显示的内容：没有幻灯片，字幕也关闭了";
        PlaylistShowsNothingHelp
            => "add a [[slides]] entry or turn the ticker on", "请添加一个 [[slides]]，或打开字幕";
        TransitionTooLong { slide: String }
            => "slide \"{slide}\": the transition is longer than the slide; it is shortened to the slide's duration",
               "幻灯片“{slide}”：切换效果比幻灯片还长，已缩短为幻灯片的时长";

        /// About zones and layouts (see `zone_messages.rs`).
        Zone { msg: Box<super::ZoneMsg> } => "{msg}", "{msg}";

        // Schedules.
        EmptyNeverPlays { key: String }
            => "`{key}` is empty, so the slide never plays", "`{key}` 是空的，这张幻灯片永远不会播放";
        WeekdaysHelp
            => "list days like [\"mon\", \"fri\"], or remove `weekdays` for every day",
               "请列出星期，如 [\"mon\", \"fri\"]；或删去 `weekdays` 每天播放";
        HoursHelp
            => "list windows like [\"08:00-12:00\"], or remove `hours` for all day",
               "请列出时段，如 [\"08:00-12:00\"]；或删去 `hours` 全天播放";
        UntilBeforeFrom { until: String, from: String }
            => "`until` ({until}) is before `from` ({from}), so the slide never plays",
               "`until`（{until}）早于 `from`（{from}），这张幻灯片永远不会播放";
        SwapDatesHelp => "swap the two dates, or fix the year", "请交换两个日期，或改正年份";
        OnlyWithFestival { key: String }
            => "`{key}` only makes sense with `festival`", "`{key}` 只能和 `festival` 一起用";
        FestivalHelp
            => "add festival = \"mid-autumn\" (or another festival), or use `from`/`until` for dates",
               "请加上 festival = \"mid-autumn\"（或其他节日），或用 `from`/`until` 指定日期";
        FalseSaysNothing { key: String }
            => "`{key}` = false says nothing", "`{key}` = false 没有意义";
        DaysHelp
            => "write `workdays = true` for official working days or `rest_days = true` for the other days, or remove the line",
               "法定工作日写 `workdays = true`，其他日子写 `rest_days = true`，或删去这一行";
        WorkdaysAndRestDays
            => "`workdays` and `rest_days` cannot both be set: no day is both",
               "`workdays` 和 `rest_days` 不能同时设置：没有哪天两者都是";
        KeepOneHelp
            => "keep one; without either, the slide plays every day", "请只留一个；两者都不写则每天播放";
        MustBeDate { key: String }
            => "`{key}` must be a date, e.g. 2027-03-01", "`{key}` 应为日期，如 2027-03-01";
        MustBeDateOnly { key: String }
            => "`{key}` must be a date without a time, e.g. 2027-03-01",
               "`{key}` 应为不带时间的日期，如 2027-03-01";
        SlideEnded { slide: String, on: String }
            => "slide \"{slide}\" ended on {on}; it will not play again",
               "幻灯片“{slide}”已于 {on} 结束，不会再播放";
        NotScheduled { slide: String }
            => "slide \"{slide}\" is not scheduled on any day of the next 400",
               "幻灯片“{slide}”在今后 400 天内没有安排播放";
        RemoveOrChangeWhenHelp => "remove it, or change its `when`", "请删去它，或修改它的 `when`";
        NoSlideWillPlay
            => "no slide will play from today on: the wall shows only the ticker over the background",
               "从今天起没有幻灯片会播放：屏上只有背景和字幕";
        NoSlideWillPlayHelp
            => "add a slide without `when`, or change the dates",
               "请添加一张没有 `when` 的幻灯片，或修改日期";
        WorkingDaysUnknown { slide: String, year: String, known: i32 }
            => "slide \"{slide}\": the official working days of {year} are not known to this player yet (it knows up to {known}); Monday to Friday count as working days there, with no holidays or make-up days",
               "幻灯片“{slide}”：本播放器还不知道 {year} 年的法定工作日安排（只知道到 {known} 年）；届时按周一至周五为工作日计算，不含节假日和调休";
        StateCouncilHelp
            => "the State Council publishes each year's arrangement in November; until a newer signage brings it, list that year's days in the playlist: [calendar] holidays = [\"YYYY-MM-DD..YYYY-MM-DD\", ...], workdays = [\"YYYY-MM-DD\", ...]",
               "国务院每年 11 月公布次年的放假安排；在新版 signage 带上它之前，可把当年的日子写进播放列表：[calendar] holidays = [\"YYYY-MM-DD..YYYY-MM-DD\", ...]（放假），workdays = [\"YYYY-MM-DD\", ...]（调休上班）";
        HolidayAndWorkday { day: String }
            => "{day} is listed both as a holiday and as a working day", "{day} 同时列为放假日和工作日";
        MakeUpDayHelp
            => "a make-up working day is a weekend day worked instead of a holiday; keep the day in one list",
               "调休上班日是为放假而补班的周末；同一天只能列在一处";
        EndsBeforeStart { value: String }
            => "\"{value}\" ends before it starts", "“{value}”的结束日期早于开始日期";
        DayRangeHelp
            => "write a day as \"2027-10-01\", or days as \"2027-10-01..2027-10-07\" (the first and the last, both included)",
               "单日写成 \"2027-10-01\"，连续几天写成 \"2027-10-01..2027-10-07\"（首尾两天都包括在内）";

        // Live text.
        UnknownPlaceholder { name: String }
            => "unknown placeholder `{{{name}}}`", "没有 `{{{name}}}` 这个占位符";
        PlaceholderNearHelp { near: String, valid: String }
            => "did you mean {{{near}}}? placeholders: {valid}; write {{{{ and }}}} for braces",
               "是不是 {{{near}}}？可用的占位符：{valid}；大括号请写 {{{{ 和 }}}}";
        PlaceholdersHelp { valid: String }
            => "placeholders: {valid}; write {{{{ and }}}} for braces",
               "可用的占位符：{valid}；大括号请写 {{{{ 和 }}}}";
        CountdownNotADate { date: String } => "`{date}` is not a date", "`{date}` 不是日期";
        CountdownDateHelp
            => "write the date to count down to as YYYY-MM-DD, e.g. {{countdown:2027-02-06}}",
               "倒计时日期请写成 YYYY-MM-DD，如 {{countdown:2027-02-06}}";
        CountdownNeedsDate
            => "`{{countdown}}` needs the date to count down to", "`{{countdown}}` 需要倒计时的日期";
        CountdownFormHelp
            => "write it as {{countdown:YYYY-MM-DD}}, e.g. {{countdown:2027-02-06}}",
               "请写成 {{countdown:YYYY-MM-DD}}，如 {{countdown:2027-02-06}}";
        TakesNoArgument { name: String }
            => "`{{{name}}}` takes no argument", "`{{{name}}}` 不带参数";
        WritePlaceholderHelp { name: String } => "write {{{name}}}", "请写 {{{name}}}";
        OpensNoPlaceholder
            => "a `{{` that opens no placeholder", "这个 `{{` 没有开始任何占位符";
        OpenBraceHelp { valid: String }
            => "write {{{{ for a brace; placeholders: {valid}", "大括号请写 {{{{；可用的占位符：{valid}";
        ClosesNoPlaceholder
            => "a `}}` that closes no placeholder", "这个 `}}` 没有结束任何占位符";
        CloseBraceHelp => "write }}}} for a brace", "大括号请写 }}}}";

        // Images.
        ImageNotFound { image: String, looked_for: String }
            => "image \"{image}\" not found (looked for {looked_for})",
               "找不到图片“{image}”（查找的是 {looked_for}）";
        RelativePathsHelp
            => "paths are relative to the playlist's folder; check the name and that the file was copied",
               "路径相对于播放列表所在文件夹；请检查文件名，以及文件是否已复制过去";
        ImageNameCase { image: String, actual: String }
            => "image \"{image}\" not found: the file is named \"{actual}\", which differs only in case (a Windows share matches it, this computer does not)",
               "找不到图片“{image}”：文件名是“{actual}”，只有大小写不同（Windows 共享文件夹认作同一个，这台电脑不认）";
        ExactNameHelp
            => "write the name exactly as the file is named, capitals included",
               "请按文件的实际名字写，大小写也要一致";
        ImageFileAt { image: String, problem: Box<Msg>, path: String }
            => "image \"{image}\" {problem} ({path})", "图片“{image}”{problem}（{path}）";
        Image { image: String, problem: Box<Msg> }
            => "image \"{image}\" {problem}", "图片“{image}”{problem}";
        PointAtImageHelp
            => "point it at a PNG, JPEG, WebP, GIF or BMP file", "请指向 PNG、JPEG、WebP、GIF 或 BMP 文件";
        ImageOutside { image: String, real: String }
            => "image \"{image}\" is outside the playlist's folder (it is {real})",
               "图片“{image}”在播放列表文件夹之外（位于 {real}）";
        OutsideHelp
            => "copy it into the playlist's folder; or, if this wall may show files from elsewhere on the PC, set `allow_outside_paths = true` in [display]",
               "请把它复制到播放列表文件夹中；如果这面屏可以显示电脑上其他位置的文件，请在 [display] 中设置 `allow_outside_paths = true`";
        ImageIncomplete { format: String }
            => "is an incomplete {format} file: it ends before the image does (still being copied, or cut short)",
               "是不完整的 {format} 文件：文件在图像结束前就断了（还在复制，或被截断）";
        WaitForCopyHelp
            => "wait for the copy to finish, or copy the file again", "请等复制完成，或重新复制文件";
        NotAnImage
            => "is not an image this player reads (PNG, JPEG, WebP, GIF or BMP)",
               "不是本播放器能读的格式（PNG、JPEG、WebP、GIF 或 BMP）";
        CannotDecode { error: String } => "cannot be decoded: {error}", "无法解码：{error}";
        NoPixels => "cannot be decoded: it has no pixels", "无法解码：它没有像素";
        ImageReExportHelp
            => "use a PNG, JPEG, WebP, GIF or BMP file; re-export it if it was damaged",
               "请用 PNG、JPEG、WebP、GIF 或 BMP 文件；如已损坏请重新导出";
        ImageTooLarge { size: String, bytes: String, limit: String, side: u32, fits: String }
            => "is too large: {size} pixels would take {bytes} to decode, and at most {limit} ({side} pixels a side) is allowed; scale it down to {fits} or less",
               "太大：{size} 像素解码需要 {bytes}，最多只允许 {limit}（每边 {side} 像素）；请缩小到 {fits} 或更小";
        WallSizeHelp
            => "the wall shows a few megapixels at most; export the picture at the wall's size",
               "屏幕最多显示几百万像素；请按屏幕尺寸导出图片";
        ExportHelp
            => "export the picture at the wall's size, as JPEG or PNG", "请按屏幕尺寸导出图片，存为 JPEG 或 PNG";
        ImageEmpty => "is empty (0 bytes)", "是空的（0 字节）";
        ImageEmptyHelp
            => "if it is being saved or copied, wait for it to finish; otherwise copy the picture again",
               "如果正在保存或复制，请等它完成；否则请重新复制这张图片";

        // Video clips.
        Video { video: String, problem: Box<Msg> }
            => "video \"{video}\" {problem}", "视频“{video}”{problem}";
        VideoFileAt { video: String, problem: Box<Msg>, path: String }
            => "video \"{video}\" {problem} ({path})", "视频“{video}”{problem}（{path}）";
        VideoNotFound { video: String, looked_for: String }
            => "video \"{video}\" not found (looked for {looked_for})",
               "找不到视频“{video}”（查找的是 {looked_for}）";
        VideoNameCase { video: String, actual: String }
            => "video \"{video}\" not found: the file is named \"{actual}\", which differs only in case (a Windows share matches it, this computer does not)",
               "找不到视频“{video}”：文件名是“{actual}”，只有大小写不同（Windows 共享文件夹认作同一个，这台电脑不认）";
        VideoOutside { video: String, real: String }
            => "video \"{video}\" is outside the playlist's folder (it is {real})",
               "视频“{video}”在播放列表文件夹之外（位于 {real}）";
        ClipNotMp4
            => "is not an MP4 or MOV file", "不是 MP4 或 MOV 文件";
        ClipIncomplete
            => "is incomplete: its index is missing or its frames run past the end of the file (still being copied, or cut short)",
               "不完整：缺少索引，或帧超出了文件末尾（还在复制，或被截断）";
        ClipNoVideo => "has no video track", "没有视频轨";
        ClipCodec { codec: String }
            => "is {codec}, which this player does not decode; it plays H.264",
               "是 {codec} 编码，本播放器不能解码；它只播放 H.264";
        ClipInterlaced
            => "is interlaced; this player plays progressive video", "是隔行扫描的；本播放器只播放逐行视频";
        ClipBitDepth { bits: u8 }
            => "is {bits}-bit; this player plays 8-bit video", "是 {bits} 位的；本播放器只播放 8 位视频";
        ClipChroma { chroma: String }
            => "has {chroma} colour; this player plays 4:2:0", "的色度采样是 {chroma}；本播放器只播放 4:2:0";
        ClipTooLarge { size: String, side: u32 }
            => "is {size}, larger than {side} pixels a side", "是 {size}，超过每边 {side} 像素";
        ClipCorrupt { error: String } => "cannot be read: {error}", "无法读取：{error}";
        ConvertClipHelp
            => "convert it to H.264: ffmpeg -i in.mov -c:v libx264 -pix_fmt yuv420p -movflags +faststart out.mp4",
               "请转换为 H.264：ffmpeg -i in.mov -c:v libx264 -pix_fmt yuv420p -movflags +faststart out.mp4";
        PointAtVideoHelp
            => "point it at an MP4 file", "请指向 MP4 文件";
        VideoAndText { slide: String, key: String }
            => "slide \"{slide}\" has both `video` and `{key}`",
               "幻灯片“{slide}”同时有 `video` 和 `{key}`";
        VideoOnlyHelp
            => "a video slide shows only the clip; put text on a slide of its own",
               "视频幻灯片只显示视频；文字请放在另一张幻灯片上";
        ImageAndVideo { slide: String }
            => "slide \"{slide}\" has both `image` and `video`",
               "幻灯片“{slide}”同时有 `image` 和 `video`";
        OneOfImageVideoHelp
            => "keep one: a slide shows a picture or plays a clip", "请只留一个：一张幻灯片显示图片或播放视频";
        LoopIgnored
            => "`loop` only applies to clips and animated pictures; it is ignored here",
               "`loop` 只对视频和动图有效，这里忽略";

        // What a file on the share can be instead of a readable file.
        FileNotFound => "not found", "找不到";
        FileIsFolder => "is a folder, not a file", "是文件夹，不是文件";
        FileIsFifo => "is a FIFO (named pipe), not a file", "是命名管道（FIFO），不是文件";
        FileIsDevice => "is a device, not a file", "是设备，不是文件";
        FileIsSocket => "is a socket, not a file", "是套接字，不是文件";
        SymlinkLoop => "is a symbolic link that loops", "是循环的符号链接";
        SymlinkChain
            => "is a chain of more symbolic links than the system follows",
               "是一串过长的符号链接，系统不再跟随";
        FileTooLarge { size: String, limit: String }
            => "is {size}, more than the {limit} allowed", "有 {size}，超过允许的 {limit}";
        FileUnreadable { error: String } => "cannot be read: {error}", "无法读取：{error}";

        // Urgent notices.
        UrgentIs { problem: Box<Msg> } => "the urgent notice {problem}", "紧急通知{problem}";
        UrgentShortenHelp
            => "shorten it: a notice is a few lines (64 KB at most)", "请缩短：通知只需几行（最多 64 KB）";
        UrgentSaveHelp
            => "save it as a plain text file (urgent.txt) or a TOML file (urgent.toml)",
               "请存为纯文本文件（urgent.txt）或 TOML 文件（urgent.toml）";
        UntilNotDateTime => "`until` is not a date and time", "`until` 不是日期时间";
        UntilHelp
            => "write until = 2027-03-01T18:00:00, or \"2027-03-01 18:00\", or a date for the end of that day",
               "请写 until = 2027-03-01T18:00:00，或 \"2027-03-01 18:00\"，或只写日期（到那天结束）";

        // Text and fonts.
        TextTooTall { slide: String, text_px: f32, slide_px: f32 }
            => "slide \"{slide}\": its text is {text_px} px tall, but the slide has {slide_px} px; the last lines are cut off",
               "幻灯片“{slide}”：文字高 {text_px} 像素，但幻灯片只有 {slide_px} 像素；最后几行被截掉了";
        SmallerTextHelp
            => "use a smaller `title_size`/`body_size`, or shorter text",
               "请用更小的 `title_size`/`body_size`，或缩短文字";
        TickerTooTall { text_px: f32, band_px: f32 }
            => "the ticker's text is {text_px} px tall, but its band has {band_px} px; it is cut off",
               "字幕文字高 {text_px} 像素，但字幕条只有 {band_px} 像素；文字被截掉了";
        TickerFontHelp
            => "set `ticker.font_size` to about 70 % of `ticker.height`",
               "请把 `ticker.font_size` 设为 `ticker.height` 的 70 % 左右";
        NoSuchFont { font: String, instead: String }
            => "no font named \"{font}\" is installed; \"{instead}\" is used instead",
               "没有安装名为“{font}”的字体，改用“{instead}”";
        InstallFontHelp
            => "install the font on the display PC, or remove `font` to use the bundled one",
               "请在播放电脑上安装该字体，或删去 `font` 使用自带字体";
        NoGlyphs { chars: String } => "no font has {chars}", "没有字体包含 {chars}";
        NoGlyphsHelp
            => "they would show as empty boxes; install a font that has them, or write them differently",
               "它们会显示成空框；请安装包含它们的字体，或换一种写法";

        // Lists and reports.
        MoreNotListed { errors: usize, warnings: usize }
            => "{errors} more error(s) and {warnings} warning(s) not listed",
               "另有 {errors} 个错误和 {warnings} 个警告未列出";
        MoreWarningsNotListed { warnings: usize }
            => "{warnings} more warning(s) not listed", "另有 {warnings} 个警告未列出";
        NotAPlaylistHelp
            => "fix the ones above first; this looks like a file that is not a playlist",
               "请先改正上面这些；这看起来不是播放列表文件";
        MoreNotShown { count: usize }
            => "… and {count} more problem(s) not shown; fix the ones above first",
               "……另有 {count} 个问题未显示；请先改正上面的";
        InFile { path: String } => "in {path}", "位于 {path}";
        NotAccepted { path: String }
            => "{path} was not accepted; still playing the last good playlist:",
               "{path} 未被采用；仍在播放上一个正确的播放列表：";
        DidNotLoad => "the playlist did not load", "播放列表没有读入";
        ReloadFailed { first: String } => "reload failed: {first}", "重新加载失败：{first}";
        ReloadFailedMore { first: String, more: usize }
            => "reload failed: {first} (and {more} more; see the log)",
               "重新加载失败：{first}（另有 {more} 个，见日志）";
        AcceptedAt { at: String }
            => "ACCEPTED at {at}: the wall plays this playlist now.",
               "已采用（{at}）：屏幕现在播放这个播放列表。";
        OnTheWallNow { showing: Box<Msg> } => "On the wall now: {showing}.", "屏上现在：{showing}。";
        Slide { slide: String } => "slide \"{slide}\"", "幻灯片“{slide}”";
        OnlyTheTicker => "no slide (only the ticker)", "没有幻灯片（只有字幕）";
        NotAcceptedAt { at: String }
            => "NOT ACCEPTED at {at}: the wall keeps playing the last good playlist.",
               "未采用（{at}）：屏幕继续播放上一个正确的播放列表。";
        FixAndSave { path: String }
            => "Fix what is below in {path} and save again; this file is written after every attempt.",
               "请改正 {path} 中下列问题后再保存；每次尝试后都会重写本文件。";

        // The preview window.
        KeysHelp
            => "Space pause · ←/→ previous/next · R reload · F fullscreen · S save frame · Q/Esc quit · H/F1 help",
               "空格 暂停 · ←/→ 上一张/下一张 · R 重新加载 · F 全屏 · S 保存画面 · Q/Esc 退出 · H/F1 帮助";
        Paused => "PAUSED", "已暂停";
        PausedHelp => "PAUSED (Space to resume, H for help)", "已暂停（空格继续，H 查看帮助）";

        // `check`, `schedule` and `render`.
        CheckOk { path: String } => "{path}: OK", "{path}：没有问题";
        CheckFailed { path: String, errors: usize, warnings: usize }
            => "{path}: {errors} error(s), {warnings} warning(s); the playlist was not accepted",
               "{path}：{errors} 个错误，{warnings} 个警告；播放列表未被采用";
        ListingWhatLoaded
            => "(listing the slides that loaded; fix the errors above for the rest)",
               "（只列出读入了的幻灯片；改正上面的错误后才有其余的）";
        RenderingWhatLoaded { path: String }
            => "{path}: rendering what loaded; fix the errors above",
               "{path}：只画出读入了的部分；请改正上面的错误";
        NotADateArg { value: String } => "{value} is not a date", "{value} 不是日期";

        // The summary.
        Canvas { width: u32, height: u32, placement: Box<Msg>, background: String }
            => "canvas {width}x{height} on {placement}, background {background}",
               "画布 {width}x{height}，{placement}，背景 {background}";
        PreviewWindow => "a preview window", "预览窗口";
        DesktopRegion { x: i32, y: i32 } => "the desktop region at {x},{y}", "桌面位置 {x},{y}";
        FullscreenOn { monitor: usize } => "fullscreen on monitor {monitor}", "全屏于显示器 {monitor}";
        FullscreenPrimary => "fullscreen on the primary monitor", "全屏于主显示器";
        BrightnessStep { level: u8, from: String } => "{level} % from {from}", "{from} 起 {level} %";
        DisplayAllDay => "display on all day, full brightness", "显示屏全天开启，全亮度";
        DisplayAllDayDimmed { steps: Steps }
            => "display on all day, brightness {steps}", "显示屏全天开启，亮度 {steps}";
        DisplayHours { hours: String }
            => "display on {hours} (black outside), full brightness",
               "显示屏开启时段 {hours}（其余时间全黑），全亮度";
        DisplayHoursDimmed { hours: String, steps: Steps }
            => "display on {hours} (black outside), brightness {steps}",
               "显示屏开启时段 {hours}（其余时间全黑），亮度 {steps}";
        CalendarListed { holidays: i64, workdays: i64, years: String }
            => "the playlist lists {holidays} public holiday(s) and {workdays} make-up working day(s) in {years}",
               "播放列表自列 {years} 年的放假安排：放假 {holidays} 天，调休上班 {workdays} 天";
        SlidesCount { count: usize, always: usize, cycle: String, scheduled: usize }
            => "{count} slides: {always} always on (cycle {cycle}), {scheduled} scheduled",
               "{count} 张幻灯片：{always} 张常播（一轮 {cycle}），{scheduled} 张按时间安排";
        SlideImage { slide: String, path: String, fit: String, when: Box<Msg> }
            => "- {slide} image {path} ({fit}); {when}", "- {slide} 图片 {path}（{fit}）；{when}";
        SlideVideo { slide: String, path: String, clip: String, when: Box<Msg> }
            => "- {slide} video {path} ({clip}); {when}", "- {slide} 视频 {path}（{clip}）；{when}";
        SlideAnimation { slide: String, path: String, clip: String, when: Box<Msg> }
            => "- {slide} image {path} ({clip}); {when}", "- {slide} 动图 {path}（{clip}）；{when}";
        SlideText { slide: String, text: String, when: Box<Msg> }
            => "- {slide} text \"{text}\"; {when}", "- {slide} 文字“{text}”；{when}";
        Always => "always", "常播";
        /// A `when` as `schedule::When` writes it: dates, weekdays and hours as written, and
        /// which days count.
        When { before: String, days: Box<Msg>, after: String }
            => "{before}{days}{after}", "{before}{days}{after}";
        AnyDay => "", "";
        WorkingDays => "working days", "法定工作日";
        RestDays => "rest days", "休息日";
        NextOn { when: Box<Msg>, day: String } => "{when}, next on {day}", "{when}，下次在 {day}";
        NotWithin400 { when: Box<Msg> }
            => "{when}, not within the next 400 days", "{when}，今后 400 天内不播放";
        Priority { when: Box<Msg> } => "{when} PRIORITY", "{when}（优先）";
        Ticker { chars: usize, speed: f64, edge: Box<Msg>, band: u32, text: f32 }
            => "ticker: {chars} characters at {speed} px/s, {edge}, {band} px band, {text} px text",
               "字幕：{chars} 个字，每秒 {speed} 像素，{edge}，字幕条 {band} 像素，字号 {text} 像素";
        TickerSnapped { chars: usize, speed: f64, snapped: f64, hz: f64, step: Box<Msg>, edge: Box<Msg>, band: u32, text: f32 }
            => "ticker: {chars} characters at {speed} px/s, snapped to {snapped} px/s at {hz} Hz ({step}), {edge}, {band} px band, {text} px text",
               "字幕：{chars} 个字，每秒 {speed} 像素，按 {hz} Hz 取整为每秒 {snapped} 像素（{step}），{edge}，字幕条 {band} 像素，字号 {text} 像素";
        PixelsEveryFrame { px: f64 } => "{px} px every frame", "每帧 {px} 像素";
        OnePixelEvery { frames: f64 } => "1 px every {frames} frames", "每 {frames} 帧 1 像素";
        Top => "top", "顶部";
        Bottom => "bottom", "底部";
        TickerOff => "ticker: off", "字幕：关闭";

        // The schedule.
        Day { date: String, weekday: String, festivals: String, official: Box<Msg> }
            => "{date} {weekday}{festivals}{official}", "{date} {weekday}{festivals}{official}";
        OrdinaryDay => "", "";
        MakeUpDay => "  [make-up working day]", "  [调休上班]";
        MakeUpDayFor { holiday: String }
            => "  [make-up working day, {holiday}]", "  [调休上班，{holiday}]";
        PublicHoliday => "  [public holiday]", "  [法定假日]";
        PublicHolidayNamed { holiday: String }
            => "  [public holiday, {holiday}]", "  [法定假日，{holiday}]";
        Plays { slide: String, hours: Box<Msg> } => "{slide} {hours}", "{slide} {hours}";
        PlaysFirst { slide: String, hours: Box<Msg> }
            => "{slide} {hours}  (priority)", "{slide} {hours}（优先）";
        AllDay => "all day", "全天";
        Hours { hours: String } => "{hours}", "{hours}";
        NoSlidesToday
            => "(no slides: the ticker plays over the background)", "（没有幻灯片：背景上只播字幕）";

        // `signage status`: one line per wall.
        VerdictOk => "ok", "正常";
        VerdictSilent => "SILENT", "无响应";
        VerdictFrozen => "FROZEN", "卡死";
        VerdictRejected => "REJECTED", "未采用";
        VerdictClock => "CLOCK", "时钟不对";
        VerdictUnknown => "UNKNOWN", "无法读取";
        NotAStatusFile { path: String }
            => "{path} is not a readable status file (empty, half written or not a status file)",
               "{path} 不是可读的状态文件（空的、写了一半或不是状态文件）";
        ClockAhead { by: String }
            => "dated {by} ahead of this computer's clock: check the wall's clock",
               "时间比本机时钟快 {by}：请检查该屏电脑的时钟";
        NotHeardFrom { time: String } => "not heard from for {time}", "已 {time} 没有消息";
        Dark => "dark (outside its display hours)", "熄屏（不在显示时段内）";
        ShowingUrgent { headline: String }
            => "showing the urgent notice \"{headline}\"", "正在显示紧急通知“{headline}”";
        Playing { slide: String } => "playing \"{slide}\"", "正在播放“{slide}”";
        TickerOnly => "no slide (ticker only)", "没有幻灯片（只有跑马灯）";
        AtBrightness { level: u8 } => " at {level} % brightness", "，亮度 {level}%";
        UrgentWaits { headline: String }
            => "the urgent notice \"{headline}\" waits for the display hours",
               "紧急通知“{headline}”等待显示时段";
        LastFrame { at: String } => "last frame {at}", "最后一帧 {at}";
        LastReload { result: Box<Msg>, at: String }
            => "last reload {result} at {at}", "上次重新加载：{result}，时间 {at}";
        ReloadLoading => "loading", "读入中";
        ReloadOk => "ok", "正常";
        ReloadRejected => "rejected", "未采用";
        Separator => "; ", "；";
        Up { time: String } => "up {time}", "已运行 {time}";
        ShareSilent { since: String }
            => "the share has not answered since {since}", "共享文件夹自 {since} 起没有响应";
    }
}

/// Brightness steps, each in the editor's language, joined as a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Steps(pub Vec<Msg>);

impl super::Localize for Steps {
    fn localize(&self, lang: super::Lang, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(&step.text(lang))?;
        }
        Ok(())
    }
}
