//! Composing a frame onto the canvas: the main zone's slides placed by the transition's
//! geometry (or copied whole), the other zones' canvases copied in stacking order, the ticker
//! bands, the sweep bar and the preview's overlay.

use super::*;

/// Another zone's canvas, as the frame composes it (see `crate::player`).
pub struct ZoneLayer {
    pub texture: wgpu::Texture,
    /// Where its top-left pixel goes on the canvas.
    pub origin: (u32, u32),
    /// In front of the main zone (else behind it).
    pub in_front: bool,
    /// Drawn anew this frame.
    pub changed: bool,
}

impl ZoneLayer {
    fn rect(&self) -> (u32, u32, u32, u32) {
        let (x, y) = self.origin;
        (x, y, self.texture.width(), self.texture.height())
    }
}

impl Renderer {
    pub(super) fn compose(
        &mut self,
        encoder: &mut wgpu::CommandEncoder,
        frame: &Frame,
        distance: f64,
        zones: &[ZoneLayer],
    ) {
        let size = self.canvas.size();
        // While only the ticker and other zones move, the canvas still holds the main zone's
        // slide: touch just the band and the zones that changed. (A band that is not opaque
        // blends over what is under it, which must then be drawn again.)
        let band_opaque = self.scene.ticker.as_ref().is_none_or(|t| t.opaque);
        let keep_main =
            self.canvas_shows(frame) && band_opaque && !behind_main_changed(zones, self.scene.area);
        self.canvas_holds = frame.transition.is_none().then_some(frame.slide);
        let q = &mut self.frame_quads;
        q.clear();
        let transition = frame.transition.map(|t| (t.kind, t.progress));
        let placements = match keep_main {
            true => [None, None],
            false => transition::placements(transition, self.scene.area),
        };
        let placed = placements.map(|p| {
            p.and_then(|p| {
                let slide = match p.which {
                    Which::From => frame.transition.map_or(frame.slide, |t| t.from),
                    Which::To => frame.slide,
                };
                let tint = [1.0, 1.0, 1.0, p.alpha];
                let covers = p.alpha == 1.0 && self.scene.background_of(slide).a == 255;
                Some((q.push(p.dst, size, p.uv, tint)?, slide, covers))
            })
        });
        let sweep = self.sweep.then(|| {
            let x = (distance.floor() as i64).rem_euclid(size.0.max(1) as i64) as f32;
            q.push(
                Rect::new(x, 0.0, 1.0, size.1 as f32),
                size,
                FULL_UV,
                [1.0; 4],
            )
        });
        let overlay = self.overlay.as_ref().map(|o| {
            let (w, h) = text::measure(&o.buffer);
            let backdrop = Rect::new(
                0.0,
                0.0,
                size.0 as f32,
                (h + 2.0 * o.top).min(size.1 as f32),
            );
            let quad = q.push(backdrop, size, FULL_UV, [0.0, 0.0, 0.0, 0.75]);
            let clip = ((w + 2.0 * o.left) as u32, backdrop.h as u32);
            let area = glyphs::area(&o.buffer, (o.left, o.top), clip, o.color);
            (quad, area)
        });
        let t = &self.tools;
        q.upload(&t.queue);
        if !keep_main {
            // A slide that covers its area, placed whole, is copied rather than drawn: no
            // sampling or blending of every pixel (a clip redraws the canvas each frame).
            let copy = match placed {
                [Some((_, slide, true)), None] => self.pool.texture(slide).filter(|tex| {
                    let area = self.scene.area;
                    tex.format() == self.canvas.texture.format()
                        && area.x.fract() == 0.0
                        && area.y.fract() == 0.0
                        && area.x >= 0.0
                        && area.y >= 0.0
                        && (area.w, area.h) == (tex.width() as f32, tex.height() as f32)
                }),
                _ => None,
            };
            let mut clear = Some(clear_color(self.scene.playlist.display.background));
            if zones.iter().any(|z| !z.in_front) {
                drop(begin_pass(encoder, &self.canvas.view, clear.take()));
                let behind = zones.iter().filter(|z| !z.in_front);
                copy_zones(encoder, &self.canvas.texture, behind);
            }
            let mut pass = begin_pass(encoder, &self.canvas.view, clear);
            for (quad, slide, covers) in placed.into_iter().flatten().filter(|_| copy.is_none()) {
                let pipeline = if covers { &t.opaque } else { &t.quads };
                if let Some(bind) = self.pool.bind(slide) {
                    self.frame_quads.draw(&mut pass, pipeline, bind, Some(quad));
                }
            }
            drop(pass);
            if let Some(tex) = copy {
                let area = self.scene.area;
                encoder.copy_texture_to_texture(
                    tex.as_image_copy(),
                    wgpu::TexelCopyTextureInfo {
                        texture: &self.canvas.texture,
                        mip_level: 0,
                        origin: wgpu::Origin3d {
                            x: area.x as u32,
                            y: area.y as u32,
                            z: 0,
                        },
                        aspect: wgpu::TextureAspect::All,
                    },
                    tex.size(),
                );
            }
        }
        match keep_main {
            false => copy_zones(
                encoder,
                &self.canvas.texture,
                zones.iter().filter(|z| z.in_front),
            ),
            true => copy_changed(encoder, &self.canvas.texture, zones),
        }
        let target = (&self.canvas.texture, &self.canvas.view);
        let old = self.retiring.iter_mut().map(|(old, _)| old);
        for ticker in old.chain(self.scene.ticker.as_mut()) {
            ticker.draw(&t.queue, encoder, target, &t.premultiplied);
        }
        if sweep.is_none() && overlay.is_none() {
            return;
        }
        let text_ready = overlay.map(|(quad, area)| {
            let prepared = self.text.prepare_overlay(
                &t.device,
                &t.queue,
                &mut self.canvas_viewport,
                size,
                [area],
            );
            if let Err(e) = &prepared {
                tracing::warn!("{e}");
            }
            (quad, prepared.is_ok())
        });
        let mut pass = begin_pass(encoder, &self.canvas.view, None);
        self.frame_quads
            .draw(&mut pass, &t.quads, &t.white, sweep.flatten());
        if let Some((quad, ready)) = text_ready {
            self.frame_quads.draw(&mut pass, &t.quads, &t.white, quad);
            if ready {
                self.text.draw_overlay(&self.canvas_viewport, &mut pass);
            }
        }
        drop(pass);
        self.text.trim();
    }
}

fn overlap(a: (u32, u32, u32, u32), b: (u32, u32, u32, u32)) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

/// Whether a zone behind the main zone changed where the main zone lies: then the main zone
/// must be drawn again over it.
fn behind_main_changed(zones: &[ZoneLayer], main: Rect) -> bool {
    let main = (main.x as u32, main.y as u32, main.w as u32, main.h as u32);
    zones
        .iter()
        .any(|z| z.changed && !z.in_front && overlap(z.rect(), main))
}

/// Copies again, when the main zone is left as it is, the zones that changed and those in
/// front of one copied that overlap it, back to front.
fn copy_changed(encoder: &mut wgpu::CommandEncoder, canvas: &wgpu::Texture, zones: &[ZoneLayer]) {
    // Which zones were copied, as bits (no allocation per frame); past 64 zones, all are.
    let mut copied = 0u64;
    for (k, z) in zones.iter().enumerate() {
        let over =
            (0..k.min(64)).any(|j| copied & (1 << j) != 0 && overlap(zones[j].rect(), z.rect()));
        if z.changed || over || k >= 64 {
            copy_zones(encoder, canvas, [z]);
            copied |= 1u64.checked_shl(k as u32).unwrap_or(0);
        }
    }
}

/// Copies each zone's canvas onto `canvas` at its place, in the order given.
fn copy_zones<'z>(
    encoder: &mut wgpu::CommandEncoder,
    canvas: &wgpu::Texture,
    zones: impl IntoIterator<Item = &'z ZoneLayer>,
) {
    for z in zones {
        let (x, y) = z.origin;
        // A zone the canvas does not wholly hold (a canvas clamped to the GPU's limits) is
        // cut to fit rather than copied out of bounds.
        let width = z.texture.width().min(canvas.width().saturating_sub(x));
        let height = z.texture.height().min(canvas.height().saturating_sub(y));
        if width == 0 || height == 0 || z.texture.format() != canvas.format() {
            continue;
        }
        encoder.copy_texture_to_texture(
            z.texture.as_image_copy(),
            wgpu::TexelCopyTextureInfo {
                texture: canvas,
                mip_level: 0,
                origin: wgpu::Origin3d { x, y, z: 0 },
                aspect: wgpu::TextureAspect::All,
            },
            wgpu::Extent3d {
                width,
                height,
                depth_or_array_layers: 1,
            },
        );
    }
}
