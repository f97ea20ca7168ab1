package pulse.http;

/** An error answer decided from a request's bytes alone (bad framing, too large, too slow). */
record Refusal(int status, String message) {}
