// A video frame from its Y, U and V planes, converted to RGB here (the CPU never touches the
// pixels) and placed by `fit` in the same pass. The rows of `to_rgb` turn (Y, U, V, 1) into the
// stream's R'G'B' by its matrix and range; the target is sRGB, so the result is decoded to
// linear light before it is written (and encoded back by the target).

struct Params {
    dst: vec4<f32>,   // x0, y0, x1, y1 in clip space
    uv: vec4<f32>,    // u0, v0, u1, v1
    r: vec4<f32>,
    g: vec4<f32>,
    b: vec4<f32>,
};

struct Varyings {
    @builtin(position) position: vec4<f32>,
    @location(0) uv: vec2<f32>,
};

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var plane_y: texture_2d<f32>;
@group(0) @binding(2) var plane_u: texture_2d<f32>;
@group(0) @binding(3) var plane_v: texture_2d<f32>;
@group(0) @binding(4) var planes: sampler;

@vertex
fn vs_main(@builtin(vertex_index) index: u32) -> Varyings {
    let corner = array<vec2<f32>, 6>(
        vec2(0.0, 0.0), vec2(1.0, 0.0), vec2(0.0, 1.0),
        vec2(0.0, 1.0), vec2(1.0, 0.0), vec2(1.0, 1.0),
    )[index];
    var out: Varyings;
    out.position = vec4(mix(params.dst.xy, params.dst.zw, corner), 0.0, 1.0);
    out.uv = mix(params.uv.xy, params.uv.zw, corner);
    return out;
}

fn srgb_to_linear(c: vec3<f32>) -> vec3<f32> {
    let low = c / 12.92;
    let high = pow((c + 0.055) / 1.055, vec3(2.4));
    return select(high, low, c <= vec3(0.04045));
}

@fragment
fn fs_main(in: Varyings) -> @location(0) vec4<f32> {
    let yuv = vec4(
        textureSample(plane_y, planes, in.uv).r,
        textureSample(plane_u, planes, in.uv).r,
        textureSample(plane_v, planes, in.uv).r,
        1.0,
    );
    let rgb = clamp(vec3(dot(params.r, yuv), dot(params.g, yuv), dot(params.b, yuv)), vec3(0.0), vec3(1.0));
    return vec4(srgb_to_linear(rgb), 1.0);
}
