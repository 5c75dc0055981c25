//! `[[slides]]`: each slide's content, timing and schedule, and the image files it names.

use super::*;

/// Where image paths lead: the playlist's folder, and whether they may leave it.
pub(super) struct Folder {
    pub(super) base: PathBuf,
    /// `base` with symlinks resolved, once it is needed.
    pub(super) real: std::cell::OnceCell<Option<PathBuf>>,
    pub(super) allow_outside: bool,
}

impl Folder {
    /// Where `resolved` really is, when that is outside the playlist's folder tree.
    fn outside(&self, resolved: &Path) -> Option<PathBuf> {
        if self.allow_outside {
            return None;
        }
        let base = self.real.get_or_init(|| self.base.canonicalize().ok());
        let real = resolved.canonicalize().ok()?;
        match base {
            Some(base) if real.starts_with(base) => None,
            _ => Some(real),
        }
    }
}

pub(super) fn read_slide(
    t: &Table,
    index: usize,
    folder: &Folder,
    d: &Defaults,
    p: &mut Problems,
) -> Option<Slide> {
    let str_of =
        |key: &str, p: &mut Problems| t.get(key).and_then(|v| v.str(p).map(str::to_string));
    let image = t
        .get("image")
        .and_then(|v| Some((v.str(p)?.to_string(), v.span())));
    let video = t
        .get("video")
        .and_then(|v| Some((v.str(p)?.to_string(), v.span())));
    // Blank text is a slip (a placeholder never filled in), not something to show.
    let text_of = |key: &str, p: &mut Problems| {
        let v = t.get(key)?;
        let s = v.str(p)?;
        check_placeholders(&v, s, p);
        if s.trim().is_empty() {
            let key = v.name.clone();
            p.warning(v.span(), Msg::LeftOut { key })
                .help(Msg::WriteTextHelp);
            return None;
        }
        Some(s.to_string())
    };
    let title = text_of("title", p);
    let body = text_of("body", p);
    let name = str_of("name", p).unwrap_or_else(|| match image.as_ref().or(video.as_ref()) {
        // `images\\traffic.png` from a Windows editor is named `traffic` on any system.
        Some((img, _)) => Path::new(&*img.replace('\\', "/"))
            .file_stem()
            .map_or(img.clone(), |s| s.to_string_lossy().into_owned()),
        None => format!("slide {}", index + 1),
    });

    let clip = video
        .as_ref()
        .and_then(|(written, span)| check_video(folder, written, span.clone(), p));
    // A clip plays once by default: the slide lasts as long as the clip.
    let duration_ms = duration(t, "duration", p)
        .or(clip.as_ref().map(|c| c.clip.length_ms))
        .unwrap_or(d.duration_ms);
    let looping = t.get("loop").and_then(|v| v.bool(p));
    let mut transition = transition(t, d.transition, p).unwrap_or(d.transition);
    if transition.duration_ms > duration_ms {
        // A transition cannot outlast the slide it brings in; shorten it rather than fail.
        let span = t
            .raw("transition")
            .or(t.raw("duration"))
            .map_or(t.span.clone(), |v| v.span());
        let slide = name.clone();
        p.warning(span, Msg::TransitionTooLong { slide });
        transition.duration_ms = duration_ms;
    }
    let background = color(t, "background", p).unwrap_or(d.background);
    let priority = t.get("priority").and_then(|v| v.bool(p)).unwrap_or(false);
    let when = t.get("when").and_then(|v| read_when(&v, p));
    let fit_value = t.get("fit").and_then(|v| v.choice(p, FITS));
    let text_keys = [
        "title",
        "body",
        "align",
        "title_size",
        "body_size",
        "color",
        "font",
        "background_image",
    ];

    if let (Some(_), Some((_, span))) = (&image, &video) {
        p.error(span.clone(), Msg::ImageAndVideo { slide: name })
            .help(Msg::OneOfImageVideoHelp);
        return None;
    }
    if let Some((_, span)) = &video {
        if let Some(key) = text_keys.iter().find(|k| t.raw(k).is_some()) {
            let span = t.raw(key).map_or(span.clone(), |v| v.span());
            let both = Msg::VideoAndText {
                slide: name.clone(),
                key: key.to_string(),
            };
            p.error(span, both).help(Msg::VideoOnlyHelp);
        }
    }
    let content = match image {
        None if video.is_some() => Content::Video {
            video: clip?,
            fit: fit_value.unwrap_or(d.fit),
            looping: looping.unwrap_or(true),
        },
        Some((image, span)) => {
            if let Some(key) = text_keys.iter().find(|k| t.raw(k).is_some()) {
                let span = t.raw(key).map_or(span.clone(), |v| v.span());
                let both = Msg::ImageAndText {
                    slide: name.clone(),
                    key: key.to_string(),
                };
                p.error(span, both).help(Msg::ImageOnlyHelp);
            }
            let written = image;
            let image = check_image(folder, &written, span.clone(), p)?;
            let fit = fit_value.unwrap_or(d.fit);
            // An animated picture plays as a clip does, for as long as the slide lasts.
            match crate::share::animation::probe(&image.path) {
                Ok(None) => Content::Image { image, fit },
                Ok(Some(animation)) => Content::Video {
                    video: VideoFile {
                        path: image.path,
                        stamp: image.stamp,
                        clip: animation.info,
                    },
                    fit,
                    looping: looping.unwrap_or(true),
                },
                Err(problem) => {
                    p.error(span, problem.about(written))
                        .help(image_help(&problem));
                    return None;
                }
            }
        }
        None if title.is_none() && body.is_none() => {
            p.error(t.span.clone(), Msg::NothingToShow { slide: name })
                .help(Msg::NothingToShowHelp);
            return None;
        }
        None => {
            if let Some(v) = t.raw("fit") {
                p.warning(v.span(), Msg::FitIgnored);
            }
            let background_image = t
                .get("background_image")
                .and_then(|v| Some((v.str(p)?.to_string(), v.span())))
                .and_then(|(img, span)| check_image(folder, &img, span, p));
            Content::Text(TextSlide {
                title,
                body,
                align: t
                    .get("align")
                    .and_then(|v| v.choice(p, ALIGNS))
                    .unwrap_or(d.align),
                title_size: font_size(t, "title_size", p).unwrap_or(d.title_size),
                body_size: font_size(t, "body_size", p).unwrap_or(d.body_size),
                color: color(t, "color", p).unwrap_or(d.color),
                font: str_of("font", p).unwrap_or_else(|| d.font.clone()),
                background_image,
            })
        }
    };
    if let (Some(v), false) = (t.raw("loop"), matches!(content, Content::Video { .. })) {
        p.warning(v.span(), Msg::LoopIgnored);
    }
    Some(Slide {
        name,
        content,
        duration_ms,
        transition,
        when,
        priority,
        background,
        zone: str_of("zone", p).unwrap_or_else(|| MAIN_ZONE.to_string()),
    })
}

/// The kind of file a slide names, for what its messages call it.
#[derive(Debug, Clone, Copy)]
enum Media {
    Image,
    Video,
}

impl Media {
    fn not_found(self, name: String, looked_for: String) -> Msg {
        match self {
            Media::Image => Msg::ImageNotFound {
                image: name,
                looked_for,
            },
            Media::Video => Msg::VideoNotFound {
                video: name,
                looked_for,
            },
        }
    }

    fn case_differs(self, name: String, actual: String) -> Msg {
        match self {
            Media::Image => Msg::ImageNameCase {
                image: name,
                actual,
            },
            Media::Video => Msg::VideoNameCase {
                video: name,
                actual,
            },
        }
    }

    fn not_a_file(self, name: String, problem: &FileProblem, path: String) -> Msg {
        let problem = Box::new(problem.message());
        match self {
            Media::Image => Msg::ImageFileAt {
                image: name,
                problem,
                path,
            },
            Media::Video => Msg::VideoFileAt {
                video: name,
                problem,
                path,
            },
        }
    }

    fn outside(self, name: String, real: String) -> Msg {
        match self {
            Media::Image => Msg::ImageOutside { image: name, real },
            Media::Video => Msg::VideoOutside { video: name, real },
        }
    }

    fn point_at_help(self) -> Msg {
        match self {
            Media::Image => Msg::PointAtImageHelp,
            Media::Video => Msg::PointAtVideoHelp,
        }
    }
}

/// Where `written` leads from the playlist's folder, if it is a regular file inside the folder
/// tree; otherwise what is wrong, reported at `span`.
fn locate(
    folder: &Folder,
    written: &str,
    span: &super::reader::Span,
    media: Media,
    p: &mut Problems,
) -> Option<(PathBuf, std::fs::Metadata)> {
    let resolved = folder.base.join(&*portable(written));
    let name = written.to_string();
    let meta = match share::regular_file(&resolved) {
        Ok(meta) => meta,
        Err(FileProblem::NotFound) => {
            if let Some(actual) = share::differs_in_case(&resolved) {
                p.error(span.clone(), media.case_differs(name, actual))
                    .help(Msg::ExactNameHelp);
            } else {
                let looked_for = resolved.display().to_string();
                p.error(span.clone(), media.not_found(name, looked_for))
                    .help(Msg::RelativePathsHelp);
            }
            return None;
        }
        Err(problem) => {
            let path = resolved.display().to_string();
            p.error(span.clone(), media.not_a_file(name, &problem, path))
                .help(media.point_at_help());
            return None;
        }
    };
    if let Some(real) = folder.outside(&resolved) {
        let real = real.display().to_string();
        p.error(span.clone(), media.outside(name, real))
            .help(Msg::OutsideHelp);
        return None;
    }
    Some((resolved, meta))
}

/// Resolves an image path against the playlist's folder and checks that it is a regular file
/// inside the folder tree whose header reads as an image within the limits. Full decoding is
/// left to `check` and to loading the slide for display.
pub(super) fn check_image(
    folder: &Folder,
    written: &str,
    span: super::reader::Span,
    p: &mut Problems,
) -> Option<ImageFile> {
    let (path, meta) = locate(folder, written, &span, Media::Image, p)?;
    match assets::probe(&path) {
        Ok(_) => Some(ImageFile {
            path,
            stamp: Some(crate::model::file::Stamp::of(&meta)),
        }),
        Err(problem) => {
            let help = image_help(&problem);
            p.error(span, problem.about(written)).help(help);
            None
        }
    }
}

/// Resolves a clip's path like an image's and probes it: a regular file inside the folder
/// tree, an MP4/MOV whose H.264 track this player decodes, complete.
pub(super) fn check_video(
    folder: &Folder,
    written: &str,
    span: super::reader::Span,
    p: &mut Problems,
) -> Option<VideoFile> {
    let (path, meta) = locate(folder, written, &span, Media::Video, p)?;
    match crate::share::clip::probe(&path) {
        Ok(found) => Some(VideoFile {
            path,
            stamp: Some(crate::model::file::Stamp::of(&meta)),
            clip: found.info,
        }),
        Err(problem) => {
            p.error(span, problem.about(written)).help(problem.help());
            None
        }
    }
}

/// An image path as written, for this system: a playlist written on Windows
/// (`images\\traffic.png`) names the same file when the wall runs Linux.
pub(super) fn portable(written: &str) -> std::borrow::Cow<'_, str> {
    if cfg!(windows) || !written.contains('\\') {
        written.into()
    } else {
        written.replace('\\', "/").into()
    }
}

/// What to do about an image that cannot be shown.
pub(crate) fn image_help(problem: &assets::ImageProblem) -> Msg {
    use assets::ImageProblem as P;
    match problem {
        P::Incomplete(_) => Msg::WaitForCopyHelp,
        P::TooLarge { .. } => Msg::WallSizeHelp,
        P::File(FileProblem::TooLarge { .. }) => Msg::ExportHelp,
        P::Empty => Msg::ImageEmptyHelp,
        _ => Msg::ImageReExportHelp,
    }
}
