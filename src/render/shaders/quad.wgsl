// One textured, tinted quad per instance. Positions are in clip space and texture coordinates
// in 0..1, both computed on the CPU, so the shader stays trivial.

struct Instance {
    @location(0) dst: vec4<f32>,   // x0, y0, x1, y1 in clip space
    @location(1) uv: vec4<f32>,    // u0, v0, u1, v1
    @location(2) tint: vec4<f32>,  // multiplied with the texel (linear RGB, alpha)
};

struct Varyings {
    @builtin(position) position: vec4<f32>,
    @location(0) uv: vec2<f32>,
    @location(1) tint: vec4<f32>,
};

@vertex
fn vs_main(@builtin(vertex_index) index: u32, quad: Instance) -> Varyings {
    // Two triangles: corners 0 1 2, 2 1 3 of the rectangle.
    let corner = array<vec2<f32>, 6>(
        vec2(0.0, 0.0), vec2(1.0, 0.0), vec2(0.0, 1.0),
        vec2(0.0, 1.0), vec2(1.0, 0.0), vec2(1.0, 1.0),
    )[index];
    var out: Varyings;
    out.position = vec4(mix(quad.dst.xy, quad.dst.zw, corner), 0.0, 1.0);
    out.uv = mix(quad.uv.xy, quad.uv.zw, corner);
    out.tint = quad.tint;
    return out;
}

@group(0) @binding(0) var image: texture_2d<f32>;
@group(0) @binding(1) var image_sampler: sampler;

@fragment
fn fs_main(in: Varyings) -> @location(0) vec4<f32> {
    return textureSample(image, image_sampler, in.uv) * in.tint;
}
