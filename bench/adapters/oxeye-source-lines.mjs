// oxeye as oxeye.mjs sets it up, with the Node entry's default `contextLines` (the lines of
// source around each frame of the app's files, read from disk): what a Node app gets.
import { setup as oxeyeSetup } from "./oxeye.mjs";

export const name = "oxeye (source lines)";

export function setup(sink) {
  return oxeyeSetup(sink, { contextLines: true });
}
