/* @ts-self-types="./oxeye.d.ts" */

/**
 * A data category of rate limits and client reports.
 * @enum {0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11}
 */
export const Category = Object.freeze({
    /**
     * `error`: error and message events.
     */
    Error: 0, "0": "Error",
    /**
     * `default`: events without a more specific category.
     */
    Default: 1, "1": "Default",
    /**
     * `transaction`
     */
    Transaction: 2, "2": "Transaction",
    /**
     * `attachment`
     */
    Attachment: 3, "3": "Attachment",
    /**
     * `session`: sessions and session aggregates.
     */
    Session: 4, "4": "Session",
    /**
     * `internal`: client reports.
     */
    Internal: 5, "5": "Internal",
    /**
     * `span`
     */
    Span: 6, "6": "Span",
    /**
     * `replay`
     */
    Replay: 7, "7": "Replay",
    /**
     * `profile`
     */
    Profile: 8, "8": "Profile",
    /**
     * `monitor`: cron check-ins.
     */
    Monitor: 9, "9": "Monitor",
    /**
     * `feedback`
     */
    Feedback: 10, "10": "Feedback",
    /**
     * `log_item`
     */
    LogItem: 11, "11": "LogItem",
});

/**
 * One oxeye client as seen from JavaScript.
 */
export class Core {
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        CoreFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_core_free(ptr, 0);
    }
    /**
     * Adds a breadcrumb (JSON text) to a scope.
     * @param {number} id
     * @param {string} crumb_json
     * @param {number} now_ms
     */
    addBreadcrumb(id, crumb_json, now_ms) {
        const val2 = +id;
        const val3 = +now_ms;
        const ptr0 = passStringToWasm0(crumb_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        wasm.core_addBreadcrumb(this.__wbg_ptr, val2, ptr0, len0, val3);
    }
    /**
     * `baggage` of the last `traceHeaders`.
     * @returns {string}
     */
    get baggage() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.core_baggage(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * Runs the pipeline on CaptureInput JSON, as UTF-8 bytes (see `pipeline/mod.rs`). The
     * host encodes it with `TextEncoder`, natively, rather than through the glue's
     * per-character string copy; text that is not UTF-8 is a counted `internal_sdk_error`.
     * @param {Uint8Array | number[]} input
     * @param {number} current
     * @param {number} isolation
     * @param {number} global
     * @param {number} now_ms
     * @param {Uint8Array | number[]} random
     * @param {boolean} hand_back
     * @returns {Verdict}
     */
    capture(input, current, isolation, global, now_ms, random, hand_back) {
        const val3 = +current;
        const val4 = +isolation;
        const val5 = +global;
        const val6 = +now_ms;
        const val7 = +hand_back;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passArray8ToWasm0(input, wasm.__wbindgen_malloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArray8ToWasm0(random, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.core_capture(this.__wbg_ptr, ptr0, len0, val3, val4, val5, val6, ptr1, len1, val7);
        return ret;
    }
    /**
     * Data category of the last envelope.
     * @returns {Category}
     */
    get category() {
        const ret = wasm.core_category(this.__wbg_ptr);
        return ret;
    }
    /**
     * Continues (or restarts) the trace of scope `id` from incoming headers.
     * @param {number} id
     * @param {string | null | undefined} sentry_trace
     * @param {string | null | undefined} baggage
     * @param {string | null | undefined} traceparent
     * @param {Uint8Array | number[]} random
     * @returns {boolean}
     */
    continueTrace(id, sentry_trace, baggage, traceparent, random) {
        const val5 = +id;
        let ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3;
        try {
            ptr0 = isLikeNone(sentry_trace) ? 0 : passStringToWasm0(sentry_trace, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = isLikeNone(baggage) ? 0 : passStringToWasm0(baggage, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
            ptr2 = isLikeNone(traceparent) ? 0 : passStringToWasm0(traceparent, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len2 = WASM_VECTOR_LEN;
            ptr3 = passArray8ToWasm0(random, wasm.__wbindgen_malloc);
            len3 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr3) { wasm.__wbindgen_free(ptr3, len3 * 1, 1); }
            if (ptr2) { wasm.__wbindgen_free(ptr2, len2 * 1, 1); }
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.core_continueTrace(this.__wbg_ptr, val5, ptr0, len0, ptr1, len1, ptr2, len2, ptr3, len3);
        return ret !== 0;
    }
    /**
     * `debug` as resolved.
     * @returns {boolean}
     */
    get debug() {
        const ret = wasm.core_debug(this.__wbg_ptr);
        return ret !== 0;
    }
    /**
     * A sentence about the last drop, for debug logging.
     * @returns {string}
     */
    get detail() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.core_detail(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * Why the SDK is off, when it is.
     * @returns {string | undefined}
     */
    get disabledReason() {
        const ret = wasm.core_disabledReason(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * The host dropped an event it held (counted with `reason`).
     * @param {string} event_id
     * @param {Reason} reason
     */
    dropPending(event_id, reason) {
        const val2 = +reason;
        const ptr0 = passStringToWasm0(event_id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        wasm.core_dropPending(this.__wbg_ptr, ptr0, len0, val2);
    }
    /**
     * Forgets a scope.
     * @param {number} id
     */
    dropScope(id) {
        wasm.core_dropScope(this.__wbg_ptr, id);
    }
    /**
     * Why the DSN was rejected.
     * @returns {string | undefined}
     */
    get dsnError() {
        const ret = wasm.core_dsnError(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * Ends the running page-view session (`exited` unless something went wrong).
     * @param {number} now_ms
     */
    endSession(now_ms) {
        wasm.core_endSession(this.__wbg_ptr, now_ms);
    }
    /**
     * The last envelope (taken: a second read gives `undefined`).
     * @returns {Uint8Array | undefined}
     */
    get envelope() {
        const ret = wasm.core_envelope(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * The environment as resolved (given or detected).
     * @returns {string}
     */
    get environment() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.core_environment(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * The event handed to the host (JSON text, scrubbed).
     * @returns {string | undefined}
     */
    get event() {
        const ret = wasm.core_event(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * Stages 8–9 for an event the host ran its stages on.
     * @param {string} event_id
     * @param {string} event_json
     * @param {number} now_ms
     * @returns {Verdict}
     */
    finish(event_id, event_json, now_ms) {
        const val3 = +now_ms;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = passStringToWasm0(event_id, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passStringToWasm0(event_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.core_finish(this.__wbg_ptr, ptr0, len0, ptr1, len1, val3);
        return ret;
    }
    /**
     * Makes scope `to` a copy of scope `from`.
     * @param {number} from
     * @param {number} to
     */
    forkScope(from, to) {
        wasm.core_forkScope(this.__wbg_ptr, from, to);
    }
    /**
     * True while items of `category` must not be sent.
     * @param {Category} category
     * @param {number} now_ms
     * @returns {boolean}
     */
    isRateLimited(category, now_ms) {
        const ret = wasm.core_isRateLimited(this.__wbg_ptr, category, now_ms);
        return ret !== 0;
    }
    /**
     * `maxBreadcrumbs`, clamped to Sentry's maximum of 100.
     * @returns {number}
     */
    get maxBreadcrumbs() {
        const ret = wasm.core_maxBreadcrumbs(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Builds a client from the options' JSON text. Never throws: bad values are listed
     * in `optionErrors`.
     * @param {string} options_json
     */
    constructor(options_json) {
        const ptr0 = passStringToWasm0(options_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.core_new(ptr0, len0);
        this.__wbg_ptr = ret;
        CoreFinalization.register(this, this.__wbg_ptr, this);
        return this;
    }
    /**
     * Reads a response to an envelope and updates the rate limits.
     * @param {number} status
     * @param {string | null | undefined} rate_limits
     * @param {string | null | undefined} retry_after
     * @param {number} now_ms
     * @returns {Response}
     */
    onResponse(status, rate_limits, retry_after, now_ms) {
        const val3 = +status;
        const val4 = +now_ms;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = isLikeNone(rate_limits) ? 0 : passStringToWasm0(rate_limits, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = isLikeNone(retry_after) ? 0 : passStringToWasm0(retry_after, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.core_onResponse(this.__wbg_ptr, val3, ptr0, len0, ptr1, len1, val4);
        return ret;
    }
    /**
     * One sentence per rejected option value.
     * @returns {string[]}
     */
    get optionErrors() {
        const ret = wasm.core_optionErrors(this.__wbg_ptr);
        var v1 = getArrayJsValueFromWasm0(ret[0], ret[1]);
        wasm.__wbindgen_free(ret[0], ret[1] * 4, 4);
        return v1;
    }
    /**
     * Parses a DSN with the core's parser.
     * @param {string} text
     * @returns {ParsedDsn}
     */
    static parseDsn(text) {
        const ptr0 = passStringToWasm0(text, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.core_parseDsn(ptr0, len0);
        return ParsedDsn.__wrap(ret);
    }
    /**
     * Item count of the last envelope.
     * @returns {number}
     */
    get quantity() {
        const ret = wasm.core_quantity(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Random bytes one capture needs.
     * @returns {number}
     */
    get randomBytes() {
        const ret = wasm.core_randomBytes(this.__wbg_ptr);
        return ret >>> 0;
    }
    /**
     * Why the last capture was dropped.
     * @returns {Reason}
     */
    get reason() {
        const ret = wasm.core_reason(this.__wbg_ptr);
        return ret;
    }
    /**
     * Counts discarded items for the next client report.
     * @param {Reason} reason
     * @param {Category} category
     * @param {number} quantity
     */
    recordOutcome(reason, category, quantity) {
        wasm.core_recordOutcome(this.__wbg_ptr, reason, category, quantity);
    }
    /**
     * Counts a server request handled in isolation scope `isolation` that ended now:
     * the worse of `status` and the error events sent from that scope.
     * @param {number} isolation
     * @param {RequestSessionStatus} status
     * @param {number} now_ms
     */
    recordRequestSession(isolation, status, now_ms) {
        wasm.core_recordRequestSession(this.__wbg_ptr, isolation, status, now_ms);
    }
    /**
     * The release as resolved.
     * @returns {string | undefined}
     */
    get release() {
        const ret = wasm.core_release(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * Applies a scope setter; `value_json` is JSON text.
     * @param {number} id
     * @param {ScopeOp} op
     * @param {string | null} [key]
     * @param {string | null} [value_json]
     */
    scopeSet(id, op, key, value_json) {
        const val3 = +id;
        const val4 = +op;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = isLikeNone(key) ? 0 : passStringToWasm0(key, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = isLikeNone(value_json) ? 0 : passStringToWasm0(value_json, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        wasm.core_scopeSet(this.__wbg_ptr, val3, val4, ptr0, len0, ptr1, len1);
    }
    /**
     * Why the `scrub` option was rejected (the client is then disabled).
     * @returns {string | undefined}
     */
    get scrubError() {
        const ret = wasm.core_scrubError(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * `sentry-trace` of the last `traceHeaders`.
     * @returns {string}
     */
    get sentryTrace() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.core_sentryTrace(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * Why no session can be sent (no or an invalid `release`), else undefined.
     * @returns {string | undefined}
     */
    get sessionError() {
        const ret = wasm.core_sessionError(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * Starts a page-view session for isolation scope `isolation` (its user id is the
     * session's `did`), ending the running one; `random` needs 16 bytes. False when no
     * session can be sent (`sessionError` says why) or the SDK is off.
     * @param {number} isolation
     * @param {number} now_ms
     * @param {Uint8Array | number[]} random
     * @returns {boolean}
     */
    startSession(isolation, now_ms, random) {
        const val2 = +isolation;
        const val3 = +now_ms;
        const ptr0 = passArray8ToWasm0(random, wasm.__wbindgen_malloc);
        const len0 = WASM_VECTOR_LEN;
        const ret = wasm.core_startSession(this.__wbg_ptr, val2, val3, ptr0, len0);
        return ret !== 0;
    }
    /**
     * `{"messages":[…],"url":…}` for the host's RegExp filters.
     * @returns {string | undefined}
     */
    get subjects() {
        const ret = wasm.core_subjects(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * The pending counts as a client-report envelope (category Internal, quantity 1).
     * @param {number} now_ms
     * @returns {Uint8Array | undefined}
     */
    takeClientReport(now_ms) {
        const ret = wasm.core_takeClientReport(this.__wbg_ptr, now_ms);
        let v1;
        if (ret[0] !== 0) {
            v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * The request aggregates waiting as an envelope with one `sessions` item (then
     * `category` is Session and `quantity` 1); undefined when there are none.
     * @param {number} now_ms
     * @returns {Uint8Array | undefined}
     */
    takeSessionAggregates(now_ms) {
        const ret = wasm.core_takeSessionAggregates(this.__wbg_ptr, now_ms);
        let v1;
        if (ret[0] !== 0) {
            v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * The session updates waiting to be sent as one envelope (then `category` is
     * Session and `quantity` the number of updates); undefined when there are none.
     * @param {number} now_ms
     * @returns {Uint8Array | undefined}
     */
    takeSessionEnvelope(now_ms) {
        const ret = wasm.core_takeSessionEnvelope(this.__wbg_ptr, now_ms);
        let v1;
        if (ret[0] !== 0) {
            v1 = getArrayU8FromWasm0(ret[0], ret[1]).slice();
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * Trace headers for an outgoing request; read them from `sentryTrace`, `baggage`
     * and `traceparent` after `true`.
     * @param {number} isolation
     * @param {string | null | undefined} existing_baggage
     * @param {Uint8Array | number[]} random
     * @returns {boolean}
     */
    traceHeaders(isolation, existing_baggage, random) {
        const val3 = +isolation;
        let ptr0, len0, ptr1, len1;
        try {
            ptr0 = isLikeNone(existing_baggage) ? 0 : passStringToWasm0(existing_baggage, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
            len0 = WASM_VECTOR_LEN;
            ptr1 = passArray8ToWasm0(random, wasm.__wbindgen_malloc);
            len1 = WASM_VECTOR_LEN;
        } catch (e) {
            if (ptr1) { wasm.__wbindgen_free(ptr1, len1 * 1, 1); }
            if (ptr0) { wasm.__wbindgen_free(ptr0, len0 * 1, 1); }
            throw e;
        }
        const ret = wasm.core_traceHeaders(this.__wbg_ptr, val3, ptr0, len0, ptr1, len1);
        return ret !== 0;
    }
    /**
     * `traceparent` of the last `traceHeaders`.
     * @returns {string}
     */
    get traceparent() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.core_traceparent(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
    /**
     * Where envelopes are posted.
     * @returns {string | undefined}
     */
    get url() {
        const ret = wasm.core_url(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * The SDK version.
     * @returns {string}
     */
    get version() {
        let deferred1_0;
        let deferred1_1;
        try {
            const ret = wasm.core_version(this.__wbg_ptr);
            deferred1_0 = ret[0];
            deferred1_1 = ret[1];
            return getStringFromWasm0(ret[0], ret[1]);
        } finally {
            wasm.__wbindgen_free(deferred1_0, deferred1_1, 1);
        }
    }
}
if (Symbol.dispose) Core.prototype[Symbol.dispose] = Core.prototype.free;

/**
 * A DSN as the core reads it.
 */
export class ParsedDsn {
    static __wrap(ptr) {
        const obj = Object.create(ParsedDsn.prototype);
        obj.__wbg_ptr = ptr;
        ParsedDsnFinalization.register(obj, obj.__wbg_ptr, obj);
        return obj;
    }
    __destroy_into_raw() {
        const ptr = this.__wbg_ptr;
        this.__wbg_ptr = 0;
        ParsedDsnFinalization.unregister(this);
        return ptr;
    }
    free() {
        const ptr = this.__destroy_into_raw();
        wasm.__wbg_parseddsn_free(ptr, 0);
    }
    /**
     * The envelope endpoint with query-string auth.
     * @returns {string | undefined}
     */
    get envelopeUrl() {
        const ret = wasm.__wbg_get_parseddsn_envelopeUrl(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * Why the DSN was rejected.
     * @returns {string | undefined}
     */
    get error() {
        const ret = wasm.__wbg_get_parseddsn_error(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * The DSN without its secret.
     * @returns {string | undefined}
     */
    get publicDsn() {
        const ret = wasm.__wbg_get_parseddsn_publicDsn(this.__wbg_ptr);
        let v1;
        if (ret[0] !== 0) {
            v1 = getStringFromWasm0(ret[0], ret[1]);
            wasm.__wbindgen_free(ret[0], ret[1] * 1, 1);
        }
        return v1;
    }
    /**
     * The envelope endpoint with query-string auth.
     * @param {string | null} [arg0]
     */
    set envelopeUrl(arg0) {
        var ptr0 = isLikeNone(arg0) ? 0 : passStringToWasm0(arg0, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        var len0 = WASM_VECTOR_LEN;
        wasm.__wbg_set_parseddsn_envelopeUrl(this.__wbg_ptr, ptr0, len0);
    }
    /**
     * Why the DSN was rejected.
     * @param {string | null} [arg0]
     */
    set error(arg0) {
        var ptr0 = isLikeNone(arg0) ? 0 : passStringToWasm0(arg0, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        var len0 = WASM_VECTOR_LEN;
        wasm.__wbg_set_parseddsn_error(this.__wbg_ptr, ptr0, len0);
    }
    /**
     * The DSN without its secret.
     * @param {string | null} [arg0]
     */
    set publicDsn(arg0) {
        var ptr0 = isLikeNone(arg0) ? 0 : passStringToWasm0(arg0, wasm.__wbindgen_malloc, wasm.__wbindgen_realloc);
        var len0 = WASM_VECTOR_LEN;
        wasm.__wbg_set_parseddsn_publicDsn(this.__wbg_ptr, ptr0, len0);
    }
}
if (Symbol.dispose) ParsedDsn.prototype[Symbol.dispose] = ParsedDsn.prototype.free;

/**
 * Why an event or item was not sent (Sentry's client-report discard reasons).
 * @enum {0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10}
 */
export const Reason = Object.freeze({
    /**
     * `queue_overflow`: the send queue was full.
     */
    QueueOverflow: 0, "0": "QueueOverflow",
    /**
     * `cache_overflow`: the offline store was full.
     */
    CacheOverflow: 1, "1": "CacheOverflow",
    /**
     * `ratelimit_backoff`: a rate limit announced by the server was active.
     */
    RatelimitBackoff: 2, "2": "RatelimitBackoff",
    /**
     * `network_error`: the request failed.
     */
    NetworkError: 3, "3": "NetworkError",
    /**
     * `sample_rate`: sampled out by `sampleRate`.
     */
    SampleRate: 4, "4": "SampleRate",
    /**
     * `before_send`: `beforeSend` returned null.
     */
    BeforeSend: 5, "5": "BeforeSend",
    /**
     * `event_processor`: an event processor, inbound filter or dedupe dropped it.
     */
    EventProcessor: 6, "6": "EventProcessor",
    /**
     * `send_error`: the server rejected it.
     */
    SendError: 7, "7": "SendError",
    /**
     * `buffer_overflow`: an internal buffer was full.
     */
    BufferOverflow: 8, "8": "BufferOverflow",
    /**
     * `internal_sdk_error`: the SDK failed.
     */
    InternalSdkError: 9, "9": "InternalSdkError",
    /**
     * Not a Sentry reason: the SDK is off. Never counted.
     */
    Disabled: 10, "10": "Disabled",
});

/**
 * How one server request ended (request-mode sessions); crosses the boundary as a number.
 * @enum {0 | 1 | 2}
 */
export const RequestSessionStatus = Object.freeze({
    /**
     * Handled without an error event: counted as `exited`.
     */
    Exited: 0, "0": "Exited",
    /**
     * An error event was captured while handling it.
     */
    Errored: 1, "1": "Errored",
    /**
     * An unhandled error ended it.
     */
    Crashed: 2, "2": "Crashed",
});

/**
 * What a response means for the envelope it answered.
 * @enum {0 | 1 | 2 | 3 | 4}
 */
export const Response = Object.freeze({
    /**
     * 2xx: delivered.
     */
    Delivered: 0, "0": "Delivered",
    /**
     * 5xx: the server failed; the envelope may be sent again.
     */
    Retry: 1, "1": "Retry",
    /**
     * 429: dropped, never retried, and not reported (the server counts it itself).
     */
    RateLimited: 2, "2": "RateLimited",
    /**
     * 413: too large; dropped as `send_error`, never retried.
     */
    TooLarge: 3, "3": "TooLarge",
    /**
     * Any other status: dropped as `send_error`, never retried.
     */
    Rejected: 4, "4": "Rejected",
});

/**
 * A scope setter, as the host names it.
 * @enum {0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10}
 */
export const ScopeOp = Object.freeze({
    /**
     * `setTag(key, value)`.
     */
    SetTag: 0, "0": "SetTag",
    /**
     * `setTags({…})`.
     */
    SetTags: 1, "1": "SetTags",
    /**
     * `setExtra(key, value)`; null removes.
     */
    SetExtra: 2, "2": "SetExtra",
    /**
     * `setExtras({…})`.
     */
    SetExtras: 3, "3": "SetExtras",
    /**
     * `setContext(key, value)`; null removes.
     */
    SetContext: 4, "4": "SetContext",
    /**
     * `setUser(user)`; null clears.
     */
    SetUser: 5, "5": "SetUser",
    /**
     * `setLevel("warning")`.
     */
    SetLevel: 6, "6": "SetLevel",
    /**
     * `setFingerprint([…])`.
     */
    SetFingerprint: 7, "7": "SetFingerprint",
    /**
     * `setTransactionName(name)`.
     */
    SetTransactionName: 8, "8": "SetTransactionName",
    /**
     * `clearBreadcrumbs()`.
     */
    ClearBreadcrumbs: 9, "9": "ClearBreadcrumbs",
    /**
     * `clear()`.
     */
    Clear: 10, "10": "Clear",
});

/**
 * What became of a capture or `finish`.
 * @enum {0 | 1 | 2}
 */
export const Verdict = Object.freeze({
    /**
     * `envelope`, `category` and `quantity` hold the result.
     */
    Send: 0, "0": "Send",
    /**
     * `reason` and `detail` say why nothing is sent.
     */
    Drop: 1, "1": "Drop",
    /**
     * The host runs its stages on `event` (and RegExp filters on `subjects`).
     */
    Host: 2, "2": "Host",
});
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg___wbindgen_throw_4c88d8bf264fd984: function(arg0, arg1) {
            throw new Error(getStringFromWasm0(arg0, arg1));
        },
        __wbindgen_generic_0000000000000001: function(arg0, arg1) {
            // Cast intrinsic for `Ref(String) -> Externref`.
            const ret = getStringFromWasm0(arg0, arg1);
            return ret;
        },
        __wbindgen_init_externref_table: function() {
            const table = wasm.__wbindgen_externrefs;
            table.set(0, undefined);
            table.set(1024, undefined);
            table.set(1025, null);
            table.set(1026, true);
            table.set(1027, false);
        },
    };
    return {
        __proto__: null,
        "./oxeye_bg.js": import0,
    };
}

const CoreFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_core_free(ptr, 1));
const ParsedDsnFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_parseddsn_free(ptr, 1));

function getArrayJsValueFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    const mem = getDataViewMemory0();
    const result = [];
    for (let i = ptr; i < ptr + 4 * len; i += 4) {
        result.push(wasm.__wbindgen_externrefs.get(mem.getUint32(i, true)));
    }
    wasm.__externref_drop_slice(ptr, len);
    return result;
}

function getArrayU8FromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
}

let cachedDataViewMemory0 = null;
function getDataViewMemory0() {
    if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined && cachedDataViewMemory0.buffer !== wasm.memory.buffer)) {
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
    }
    return cachedDataViewMemory0;
}

function getStringFromWasm0(ptr, len) {
    ptr = ptr >>> 0;
    return decodeText(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}

let cachedUint8ArrayMemory0 = null;
function getUint8ArrayMemory0() {
    if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
    }
    return cachedUint8ArrayMemory0;
}

function isLikeNone(x) {
    return x === undefined || x === null;
}

function passArray8ToWasm0(arg, malloc) {
    const ptr = malloc(arg.length * 1, 1) >>> 0;
    getUint8ArrayMemory0().set(arg, ptr / 1);
    WASM_VECTOR_LEN = arg.length;
    return ptr;
}

function passStringToWasm0(arg, malloc, realloc) {
    if (realloc === undefined) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr, ptr + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr;
    }

    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;

    const mem = getUint8ArrayMemory0();

    let offset = 0;

    for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 0x7F) break;
        mem[ptr + offset] = code;
    }
    if (offset !== len) {
        if (offset !== 0) {
            arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);

        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
    }

    WASM_VECTOR_LEN = offset;
    return ptr;
}

let cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
cachedTextDecoder.decode();
const MAX_SAFARI_DECODE_BYTES = 2146435072;
let numBytesDecoded = 0;
function decodeText(bytes) {
    numBytesDecoded += bytes.length;
    if (numBytesDecoded >= MAX_SAFARI_DECODE_BYTES) {
        cachedTextDecoder = new TextDecoder('utf-8', { ignoreBOM: true });
        cachedTextDecoder.decode();
        numBytesDecoded = bytes.length;
    }
    return cachedTextDecoder.decode(bytes);
}

const cachedTextEncoder = new TextEncoder();

if (!('encodeInto' in cachedTextEncoder)) {
    cachedTextEncoder.encodeInto = function (arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
            read: arg.length,
            written: buf.length
        };
    };
}

let WASM_VECTOR_LEN = 0;

let wasmModule, wasmInstance, wasm;
function __wbg_finalize_init(instance, module) {
    wasmInstance = instance;
    wasm = instance.exports;
    wasmModule = module;
    cachedDataViewMemory0 = null;
    cachedUint8ArrayMemory0 = null;
    wasm.__wbindgen_start();
    return wasm;
}

async function __wbg_load(module, imports) {
    if (typeof Response === 'function' && module instanceof Response) {
        if (!module.ok) {
            throw new Error(`failed to fetch Wasm: ${module.status} ${module.statusText} fetching '${module.url}'`);
        }

        if (typeof WebAssembly.instantiateStreaming === 'function') {
            try {
                return await WebAssembly.instantiateStreaming(module, imports);
            } catch (e) {
                const validResponse = expectedResponseType(module.type);

                if (validResponse && module.headers.get('Content-Type') !== 'application/wasm') {
                    console.warn("`WebAssembly.instantiateStreaming` failed because your server does not serve Wasm with `application/wasm` MIME type. Falling back to `WebAssembly.instantiate` which is slower. Original error:\n", e);

                } else { throw e; }
            }
        }

        const bytes = await module.arrayBuffer();
        return await WebAssembly.instantiate(bytes, imports);
    } else {
        const instance = await WebAssembly.instantiate(module, imports);

        if (instance instanceof WebAssembly.Instance) {
            return { instance, module };
        } else {
            return instance;
        }
    }

    function expectedResponseType(type) {
        switch (type) {
            case 'basic': case 'cors': case 'default': return true;
        }
        return false;
    }
}

function initSync(module) {
    if (wasm !== undefined) return wasm;


    if (module !== undefined) {
        if (Object.getPrototypeOf(module) === Object.prototype) {
            ({module} = module)
        } else {
            console.warn('using deprecated parameters for `initSync()`; pass a single object instead')
        }
    }

    const imports = __wbg_get_imports();
    if (!(module instanceof WebAssembly.Module)) {
        module = new WebAssembly.Module(module);
    }
    const instance = new WebAssembly.Instance(module, imports);
    return __wbg_finalize_init(instance, module);
}

let __wbg_init_promise;
async function __wbg_init(module_or_path) {
    if (wasm !== undefined) return wasm;
    if (__wbg_init_promise === undefined) {
        __wbg_init_promise = __wbg_init_once(module_or_path);
        __wbg_init_promise.catch(() => { __wbg_init_promise = undefined; });
    }
    return __wbg_init_promise;
}

async function __wbg_init_once(module_or_path) {

    if (module_or_path !== undefined) {
        if (Object.getPrototypeOf(module_or_path) === Object.prototype) {
            ({module_or_path} = module_or_path)
        } else {
            console.warn('using deprecated parameters for the initialization function; pass a single object instead')
        }
    }

    if (module_or_path === undefined) {
        module_or_path = new URL('oxeye_bg.wasm', import.meta.url);
    }
    const imports = __wbg_get_imports();

    if (typeof module_or_path === 'string' || (typeof Request === 'function' && module_or_path instanceof Request) || (typeof URL === 'function' && module_or_path instanceof URL)) {
        module_or_path = fetch(module_or_path);
    }

    const { instance, module } = await __wbg_load(await module_or_path, imports);

    return __wbg_finalize_init(instance, module);
}

export { initSync, __wbg_init as default };
