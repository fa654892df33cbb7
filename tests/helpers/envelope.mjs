/** Test helper: the envelope parser shared with the test servers in scripts/lib. */
export { eventsOf, parseEnvelope } from "../../scripts/lib/envelope.mjs";
