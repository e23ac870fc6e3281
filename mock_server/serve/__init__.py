"""The serving pipeline: one request, one module per step, in the order it runs.

    pipeline       MockApp: CORS → mounted endpoints (/__mock) → route → auth → validate
                   → control → behaviour → render; any error → the contract's shape
    cors           browser preflights and headers
    routing        method + raw path → operation (404, 405 with the path's Allow)
    security       the declared security schemes, lenient or strict; what to redact
    validation     parameters and body against validators compiled once
    control        Prefer header, rules (`rules`), latency, chaos → a `Directive`
    resources      deleted stays deleted
    error_replies  an error in the contract's declared shape and status
    faults         broken answers on purpose (reset, hang, truncate, cut streams)
    render         a `Reply` → ASGI messages; streams take turns
    journal        what each request was and got, redacted when read
    access_log     one line per request, batched

May import behaviours, state, generate, media, contracts, settings and errors; may not import
admin, check, proxy, integrations, the CLI or the server runner (they sit on top of it).

Nothing is imported here, so the proxy can use `routing` and `validation` without the pipeline.
"""
