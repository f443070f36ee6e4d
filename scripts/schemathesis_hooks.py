# Hooks of the API contract run (scripts/api-contract.sh, named in
# scripts/schemathesis.toml).
import schemathesis

# Longest cursor the server reads (web::cursor::MAX_CURSOR); a longer one is
# outside the described schema and must be refused.
MAX_CURSOR = 2048


@schemathesis.hook
def before_call(ctx, case, kwargs):
    # A listing cursor is opaque: only the next_cursor of a page is read back,
    # and any other string, though it fits the described schema, is refused
    # with 400. Generated cursors that fit the schema are left out of the
    # request (in every phase; schemathesis checks the request as sent);
    # those outside it (too long) are still sent and must be refused. The
    # Rust tests walk real cursors and check refusals.
    query = case.query
    if query and isinstance(query.get("cursor"), str) and len(query["cursor"]) <= MAX_CURSOR:
        del query["cursor"]
