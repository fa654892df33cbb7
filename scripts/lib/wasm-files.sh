# The wasm files the package ships and the cargo features each is built with, as
# `name|features` (sourced by scripts/build.sh and scripts/test-native.sh, so what is built
# is what is tested). `oxeye_bg` is the browsers' wasm (page-view sessions, Firefox/Safari
# stacks); `oxeye_rules_bg` the browsers' wasm for a client with a `scrub` object;
# `oxeye_server_bg` the servers' (Node, edge, Workers: request-mode session aggregates).
# shellcheck disable=SC2034
wasm_files=("oxeye_bg|runtime-browser,wasm-images" "oxeye_rules_bg|runtime-browser,wasm-images,scrub-rules" "oxeye_server_bg|runtime-server,wasm-images,scrub-rules")
