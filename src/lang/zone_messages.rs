//! The messages about zones and layouts, English and Chinese side by side (see `messages.rs`).

declare_messages! {
    pub enum ZoneMsg {
        Outside { zone: String, rect: String, canvas: String }
            => "zone `{zone}` ({rect}) does not lie wholly on the {canvas} canvas",
               "区域“{zone}”（{rect}）不完全在 {canvas} 的画布上";
        OutsideHelp { width: u32, height: u32 }
            => "a zone must fit the canvas: x + width at most {width}, y + height at most {height}",
               "区域必须在画布内：x + width 不超过 {width}，y + height 不超过 {height}";
        Empty { zone: String } => "zone `{zone}` has no pixels", "区域“{zone}”没有像素";
        Overlap { zone: String, other: String }
            => "zone `{zone}` overlaps zone `{other}` at the same `order`, so which is in front is not said",
               "区域“{zone}”与区域“{other}”重叠且 `order` 相同，无法确定哪个在前";
        OverlapHelp { zone: String }
            => "give the zone in front a higher `order`, e.g. `order = 1` for `{zone}`, or move it so that they only touch",
               "请给前面的区域更高的 `order`，如给“{zone}”写 `order = 1`，或移开使它们只相邻";
        Twice { zone: String }
            => "a second zone named `{zone}` in this layout", "这个布局里第二次出现名为“{zone}”的区域";
        TwiceHelp
            => "each zone of a layout needs a name of its own", "同一布局中每个区域的名字都不能重复";
        FollowsUnknown { zone: String, follows: String }
            => "zone `{zone}` follows `{follows}`, which is not a zone of this layout",
               "区域“{zone}”跟随“{follows}”，但这个布局里没有这个区域";
        FollowsInCircle { zone: String }
            => "zone `{zone}` follows a zone that, in the end, follows it",
               "区域“{zone}”跟随的区域最终又跟随它自己";
        FollowsInCircleHelp
            => "one zone of the circle must cycle on its own: remove its `follows`",
               "这一圈里须有一个区域自行轮播：去掉它的 `follows`";
        DidYouMean { zone: String } => "did you mean `{zone}`?", "是不是“{zone}”？";
        ZonesHere { zones: String } => "zones: {zones}", "可用的区域：{zones}";
        NoSuchZone { slide: String, zone: String }
            => "slide \"{slide}\" is in zone `{zone}`, which no layout has",
               "幻灯片“{slide}”所在的区域“{zone}”在任何布局中都不存在";
        WithoutSlides { zone: String }
            => "zone `{zone}` has no slides: it shows only its background",
               "区域“{zone}”没有幻灯片：只显示它的背景";
        WithoutSlidesHelp { zone: String }
            => "add slides with `zone = \"{zone}\"`, or give the zone a `ticker`",
               "请添加写有 `zone = \"{zone}\"` 的幻灯片，或给这个区域一个 `ticker`";
        SlideInCrawl { slide: String, zone: String }
            => "slide \"{slide}\" is in zone `{zone}`, which is a crawl: the slide does not show",
               "幻灯片“{slide}”所在的区域“{zone}”是滚动字幕：这张幻灯片不会显示";
        NameHelp
            => "name the zone, e.g. name = \"clock\"; slides name it with zone = \"clock\"",
               "请给区域起名，如 name = \"clock\"；幻灯片用 zone = \"clock\" 指定它";
        RectHelp
            => "a zone is a rectangle in whole pixels: x, y, width and height, e.g. x = 0, y = 0, width = 1280, height = 256",
               "区域是以整像素表示的矩形：x、y、width 和 height，如 x = 0, y = 0, width = 1280, height = 256";
        LayoutWithoutWhen { layout: String }
            => "layout `{layout}` has no `when`, so it is always on and the layouts after it never are",
               "布局“{layout}”没有 `when`，所以它一直生效，后面的布局永远不会生效";
        LayoutWithoutWhenHelp
            => "say when the layout is on, e.g. when = {{ festival = \"spring-festival\", days_before = 3 }}; the zones written at the top level play otherwise",
               "请写明布局何时生效，如 when = {{ festival = \"spring-festival\", days_before = 3 }}；其余时候播放顶层写的区域";
        NoSlideWillPlay { zone: String }
            => "none of zone `{zone}`'s slides will play again: it will show only its background",
               "区域“{zone}”的幻灯片都不会再播放：它将只显示背景";
        UnderBand { zone: String, band: String }
            => "zone `{zone}` lies partly under the ticker band ({band}), which is drawn in front of it",
               "区域“{zone}”有一部分在字幕条（{band}）下面，会被字幕条挡住";
        UnderBandHelp
            => "end the zone where the band begins, put the band at the other edge, or turn it off with [ticker] enabled = false",
               "请让区域在字幕条开始处结束，把字幕条放到另一边，或用 [ticker] enabled = false 关闭它";

        // `check`'s summary and `schedule`.
        LayoutLine { layout: String, when: Box<super::Msg>, zones: String }
            => "layout `{layout}` ({when}): {zones}", "布局“{layout}”（{when}）：{zones}";
        ZoneHeader { zone: String } => "zone `{zone}`:", "区域“{zone}”：";
        ZoneFollowing { zone: String, leader: String }
            => "zone `{zone}`, changing with `{leader}`:", "区域“{zone}”，随“{leader}”换片：";
        CrawlLine { zone: String, chars: usize, speed: f64 }
            => "zone `{zone}`: a crawl of {chars} characters at {speed} px/s",
               "区域“{zone}”：{chars} 个字的滚动字幕，每秒 {speed} 像素";
        LayoutsOfDay { layouts: String } => "  layout {layouts}", "  布局 {layouts}";
        ScheduleZone { zone: String } => "  zone `{zone}`", "  区域“{zone}”";
    }
}

impl From<ZoneMsg> for super::Msg {
    fn from(msg: ZoneMsg) -> Self {
        super::Msg::Zone { msg: Box::new(msg) }
    }
}
