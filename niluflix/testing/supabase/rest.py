"""PostgREST's `/rest/v1/<table>` for the queries NiluFlix makes, answered by PostgreSQL as the caller.

Each request is one transaction: the JWT's role (`SET LOCAL ROLE`) and claims, then one statement, so
row-level security, `auth.uid()`, defaults, checks and foreign keys are the database's own. The scope is
deliberately small, and anything outside it answers 400 so no test leans on a feature the fake lacks:

- `select=` a column list or `*` (no embedding, aliases or casts);
- filters `eq neq gt gte lt lte like ilike is in`, the `not.` prefix, `or=(...)` of those (not nested);
- `order=col.asc|desc[.nullsfirst|.nullslast]`, `limit`, `offset`;
- `Prefer: return=representation|minimal`, `count=exact`, `resolution=merge-duplicates|ignore-duplicates`;
- `on_conflict=`, `columns=`; `Accept: application/vnd.pgrst.object+json` (one row, else 406).

Status codes and error bodies (`{code, details, hint, message}`) follow PostgREST 12, the version Supabase runs.
"""

import json
import logging
from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from niluflix.testing.supabase.state import ProjectState, act_as
from niluflix.testing.supabase.tokens import TokenRejected

log = logging.getLogger(__name__)

SCHEMA = "public"
OBJECT = "application/vnd.pgrst.object+json"
COMPARISONS = {
    "eq": "=",
    "neq": "<>",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "like": "LIKE",
    "ilike": "ILIKE",
}
IS_VALUES = {"null": "NULL", "true": "TRUE", "false": "FALSE", "unknown": "UNKNOWN"}
RESERVED = {"select", "order", "limit", "offset", "on_conflict", "columns", "or", "apikey"}
PREFER = {
    "return": {"representation", "minimal"},
    "count": {"exact"},
    "resolution": {"merge-duplicates", "ignore-duplicates"},
}


class PostgrestError(Exception):
    def __init__(
        self, status: int, code: str | None, message: str, details: str | None = None, hint: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"code": code, "details": details, "hint": hint, "message": message}

    def response(self) -> JSONResponse:
        return JSONResponse(self.body, status_code=self.status)


def unsupported(what: str) -> PostgrestError:
    return PostgrestError(400, "PGRST100", f"the loopback PostgREST does not support {what}")


@dataclass(frozen=True)
class Table:
    name: str
    columns: list[str]
    primary_key: list[str]

    @property
    def ident(self) -> sql.Composable:
        return sql.Identifier(SCHEMA, self.name)

    def column(self, name: str) -> sql.Identifier:
        if name not in self.columns:
            raise PostgrestError(400, "42703", f"column {self.name}.{name} does not exist")
        return sql.Identifier(name)

    def body_column(self, name: str) -> str:
        if name not in self.columns:
            raise PostgrestError(
                400, "PGRST204", f"Could not find the '{name}' column of '{self.name}' in the schema cache"
            )
        return name


async def load_table(conn: psycopg.AsyncConnection, name: str) -> Table:
    rows = await (
        await conn.execute(
            """
            SELECT a.attname, coalesce(a.attnum = ANY (i.indkey), false)
            FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
            WHERE n.nspname = %s AND c.relname = %s AND c.relkind IN ('r', 'p', 'v')
              AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum
            """,
            [SCHEMA, name],
        )
    ).fetchall()
    if not rows:
        raise PostgrestError(
            404, "PGRST205", f"Could not find the table '{SCHEMA}.{name}' in the schema cache"
        )
    return Table(name, [r[0] for r in rows], [r[0] for r in rows if r[1]])


# --- the request's parts -------------------------------------------------------------------------------


def authenticate(request: Request, state: ProjectState) -> dict[str, Any]:
    """The API gateway's key check, then PostgREST's JWT check: the claims the transaction runs with."""
    apikey = request.headers.get("apikey") or request.query_params.get("apikey")
    if not apikey:
        raise PostgrestError(
            401,
            None,
            "No API key found in request",
            hint="No `apikey` request header or url param was found.",
        )
    if not state.keys.known(apikey):
        raise PostgrestError(
            401, None, "Invalid API key", hint="Double check your Supabase `anon` or `service_role` API key."
        )
    header = request.headers.get("authorization", "")
    token = header[len("bearer ") :] if header.lower().startswith("bearer ") else apikey
    try:
        return state.keys.verify(token)
    except TokenRejected as exc:
        raise PostgrestError(401, exc.code, exc.message) from None


def parse_prefer(request: Request) -> dict[str, str]:
    prefer: dict[str, str] = {}
    for header in request.headers.getlist("prefer"):
        for item in header.split(","):
            key, _, value = item.strip().partition("=")
            if not key:
                continue
            if value not in PREFER.get(key, set()):
                raise unsupported(f"Prefer: {item.strip()}")
            prefer[key] = value
    return prefer


def wants_object(request: Request) -> bool:
    accept = request.headers.get("accept", "*/*")
    if OBJECT in accept:
        return True
    if not any(
        kind.strip().split(";")[0] in ("*/*", "application/json", "application/*")
        for kind in accept.split(",")
    ):
        raise PostgrestError(406, "PGRST107", f"None of these media types are available: {accept}")
    return False


def check_profile(request: Request) -> None:
    for header in ("accept-profile", "content-profile"):
        profile = request.headers.get(header)
        if profile not in (None, SCHEMA):
            raise PostgrestError(406, "PGRST106", f"The schema must be one of the following: {SCHEMA}")


def split_top(text: str) -> list[str]:
    """Split on commas outside parentheses and double quotes: `a.eq.1,b.in.(1,2),c.eq."x,y"`."""
    parts, depth, quoted, current, escaped = [], 0, False, [], False
    for char in text:
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\" and quoted:
            current.append(char)
            escaped = True
        elif char == '"':
            quoted = not quoted
            current.append(char)
        elif char == "(" and not quoted:
            depth += 1
            current.append(char)
        elif char == ")" and not quoted:
            depth -= 1
            current.append(char)
        elif char == "," and depth == 0 and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return value


def condition(
    table: Table, column: str, expression: str, *, in_or: bool = False
) -> tuple[sql.Composable, list[Any]]:
    """One PostgREST filter (`eq.5`, `not.in.(a,b)`, `is.null`) on one column, as SQL and its parameters."""
    column = unquote(column)
    ident = table.column(column)
    negate = expression.startswith("not.")
    if negate:
        expression = expression[len("not.") :]
    operator, dot, value = expression.partition(".")
    if not dot:
        raise PostgrestError(400, "PGRST100", f'"failed to parse filter ({expression})" (line 1, column 1)')
    if in_or:
        value = unquote(value)
    params: list[Any] = []
    if operator in COMPARISONS:
        if operator in ("like", "ilike"):
            value = value.replace("*", "%")
        clause = sql.SQL("{} {} %s").format(ident, sql.SQL(COMPARISONS[operator]))
        params = [value]
    elif operator == "is":
        if value.lower() not in IS_VALUES:
            raise PostgrestError(400, "PGRST100", f'"failed to parse filter (is.{value})" (line 1, column 1)')
        clause = sql.SQL("{} IS {}").format(ident, sql.SQL(IS_VALUES[value.lower()]))
    elif operator == "in":
        if not (value.startswith("(") and value.endswith(")")):
            raise PostgrestError(400, "PGRST100", f'"failed to parse filter (in.{value})" (line 1, column 1)')
        items = [unquote(item) for item in split_top(value[1:-1])] if value[1:-1] else []
        if not items:
            clause = sql.SQL("FALSE")
        else:
            clause = sql.SQL("{} IN ({})").format(ident, sql.SQL(", ").join(sql.SQL("%s") for _ in items))
            params = items
    else:
        raise unsupported(f"the filter operator {operator!r}")
    if negate:
        clause = sql.SQL("NOT ({})").format(clause)
    return clause, params


def or_condition(table: Table, value: str) -> tuple[sql.Composable, list[Any]]:
    if not (value.startswith("(") and value.endswith(")")):
        raise PostgrestError(400, "PGRST100", f'"failed to parse logic tree ({value})" (line 1, column 1)')
    clauses, params = [], []
    for item in split_top(value[1:-1]):
        if item.startswith(("and(", "or(", "not.and(", "not.or(")):
            raise unsupported("nested and/or")
        column, dot, expression = item.partition(".")
        if not dot:
            raise PostgrestError(
                400, "PGRST100", f'"failed to parse logic tree ({value})" (line 1, column 1)'
            )
        clause, more = condition(table, column, expression, in_or=True)
        clauses.append(clause)
        params += more
    return sql.SQL("({})").format(sql.SQL(" OR ").join(clauses)), params


@dataclass
class Query:
    """The request's query string, checked against the table."""

    where: sql.Composable
    params: list[Any]
    filtered: bool
    projection: sql.Composable
    order: sql.Composable
    limit: int | None
    offset: int


def parse_query(request: Request, table: Table) -> Query:
    clauses: list[sql.Composable] = []
    params: list[Any] = []
    for key, value in request.query_params.multi_items():
        if key in RESERVED:
            continue
        if key in ("and", "not.or", "not.and") or "." in unquote(key) or "->" in key:
            raise unsupported(f"the query parameter {key!r} (embedded, nested or JSON-path filters)")
        clause, more = condition(table, key, value)
        clauses.append(clause)
        params += more
    for value in request.query_params.getlist("or"):
        clause, more = or_condition(table, value)
        clauses.append(clause)
        params += more
    where = sql.SQL(" AND ").join(clauses) if clauses else sql.SQL("TRUE")
    return Query(
        where=where,
        params=params,
        filtered=bool(clauses),
        projection=projection(table, request.query_params.get("select", "*")),
        order=order_by(table, request.query_params.get("order")),
        limit=number(request, "limit"),
        offset=number(request, "offset") or 0,
    )


def projection(table: Table, select: str) -> sql.Composable:
    names = [name.strip() for name in select.split(",") if name.strip()]
    if not names or names == ["*"]:
        names = table.columns
    for name in names:
        if any(mark in name for mark in "():!*") or "->" in name:
            raise unsupported(f"select={select} (only a list of columns)")
    return sql.SQL(", ").join(table.column(unquote(name)) for name in names)


def order_by(table: Table, order: str | None) -> sql.Composable:
    if not order:
        return sql.SQL("")
    terms = []
    for term in order.split(","):
        column, *modifiers = term.strip().split(".")
        if "->" in column:
            raise unsupported(f"order={order} (JSON paths)")
        words = [table.column(unquote(column))]
        for modifier in modifiers:
            match modifier:
                case "asc" | "desc":
                    words.append(sql.SQL(modifier.upper()))
                case "nullsfirst" | "nullslast":
                    words.append(sql.SQL("NULLS FIRST" if modifier == "nullsfirst" else "NULLS LAST"))
                case _:
                    raise PostgrestError(
                        400, "PGRST100", f'"failed to parse order ({order})" (line 1, column 1)'
                    )
        terms.append(sql.SQL(" ").join(words))
    return sql.SQL(" ORDER BY {}").format(sql.SQL(", ").join(terms))


def number(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    if not value.isdigit():
        raise PostgrestError(400, "PGRST100", f'"failed to parse {name} ({value})" (line 1, column 1)')
    return int(value)


def body_columns(request: Request, table: Table, rows: list[dict[str, Any]]) -> list[str]:
    listed = request.query_params.get("columns")
    if listed is not None:
        names = [unquote(name.strip()) for name in listed.split(",") if name.strip()]
    else:
        names = list(rows[0])
        if any(set(row) != set(names) for row in rows):
            raise PostgrestError(400, "PGRST102", "All object keys must match")
    if not names:
        raise unsupported("a row with no columns")
    return [table.body_column(name) for name in names]


# --- answering ----------------------------------------------------------------------------------------


def rows_answer(rows_json: str, n: int, *, single: bool, status: int, headers: dict[str, str]) -> Response:
    if single:
        if n != 1:
            raise PostgrestError(
                406,
                "PGRST116",
                "Cannot coerce the result to a single JSON object",
                details=f"The result contains {n} rows",
            )
        return Response(json.dumps(json.loads(rows_json)[0]), status, headers, media_type=OBJECT)
    return Response(rows_json, status, headers, media_type="application/json")


def content_range(offset: int, n: int, total: int | None) -> str:
    span = f"{offset}-{offset + n - 1}" if n else "*"
    return f"{span}/{'*' if total is None else total}"


def from_database(exc: psycopg.Error, role: str) -> PostgrestError:
    diag = exc.diag
    code = exc.sqlstate or "XX000"
    status = {"23505": 409, "23503": 409, "42P01": 404}.get(code, 400)
    if code == "42501":
        status = 401 if role == "anon" else 403
    elif code.startswith(("08", "53", "57", "58", "XX")):
        status = 500
    return PostgrestError(
        status, code, diag.message_primary or str(exc), diag.message_detail, diag.message_hint
    )


async def handle(request: Request) -> Response:
    state: ProjectState = request.app.state.project
    name = request.path_params["table"]
    try:
        check_profile(request)
        claims = authenticate(request, state)
        prefer = parse_prefer(request)
        single = wants_object(request)
        async with await state.connect() as conn, conn.transaction():
            table = await load_table(conn, name)
            query = parse_query(request, table)
            body = await read_body(request) if request.method in ("POST", "PATCH") else None
            await act_as(conn, claims)
            try:
                return await answer(conn, request, table, query, prefer, single, body)
            except psycopg.Error as exc:
                raise from_database(exc, claims["role"]) from exc
    except PostgrestError as exc:
        log.info("%s %s -> %s %s", request.method, request.url.path, exc.status, exc.body)
        return exc.response()


async def unsupported_path(request: Request) -> Response:
    """`/rest/v1/rpc/<fn>` and any other path: a JSON error supabase-py turns into `APIError`."""
    log.info("%s %s -> 400: not served by the loopback PostgREST", request.method, request.url.path)
    return unsupported(f"{request.method} {request.url.path} (only /rest/v1/<table>)").response()


async def read_body(request: Request) -> Any:
    try:
        return json.loads(await request.body())
    except ValueError as exc:
        raise PostgrestError(400, "PGRST102", f"Empty or invalid json: {exc}") from None


async def answer(
    conn: psycopg.AsyncConnection,
    request: Request,
    table: Table,
    query: Query,
    prefer: dict[str, str],
    single: bool,
    body: Any,
) -> Response:
    minimal = prefer.get("return", "minimal" if request.method != "GET" else "") == "minimal"
    match request.method:
        case "GET" | "HEAD":
            return await select(conn, request, table, query, prefer, single)
        case "POST":
            if query.filtered or query.limit is not None or "order" in request.query_params:
                raise unsupported("filters, order or limit on an insert")
            rows = [body] if isinstance(body, dict) else body
            if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
                raise PostgrestError(400, "PGRST102", "Expected a JSON object or an array of objects")
            if not rows:
                return Response(b"" if minimal else b"[]", 201, media_type="application/json")
            statement, params = insert(request, table, rows, prefer)
        case "PATCH":
            if not isinstance(body, dict) or not body:
                raise PostgrestError(400, "PGRST102", "Expected one non-empty JSON object to update with")
            if not query.filtered:
                raise PostgrestError(400, "21000", "UPDATE requires a WHERE clause")
            columns = [sql.Identifier(table.body_column(c)) for c in body]
            statement = sql.SQL(
                "UPDATE {t} SET ({cols}) = (SELECT {cols} FROM json_populate_record(NULL::{t}, %s::json)) "
                "WHERE {where} RETURNING {t}.*, false AS pgrst_inserted"
            ).format(t=table.ident, cols=sql.SQL(", ").join(columns), where=query.where)
            params = [json.dumps(body), *query.params]
        case "DELETE":
            if not query.filtered:
                raise PostgrestError(400, "21000", "DELETE requires a WHERE clause")
            statement = sql.SQL(
                "DELETE FROM {t} WHERE {where} RETURNING {t}.*, false AS pgrst_inserted"
            ).format(t=table.ident, where=query.where)
            params = query.params
        case _:
            raise unsupported(f"the method {request.method}")
    if request.method in ("PATCH", "DELETE") and (query.limit is not None or query.offset):
        raise unsupported("limit or offset on an update or delete")
    wrapped = sql.SQL(
        "WITH pgrst_rows AS ({statement}) SELECT "
        "(SELECT coalesce(json_agg(to_json(r)), '[]')::text FROM (SELECT {projection} FROM pgrst_rows) r), "
        "(SELECT count(*) FROM pgrst_rows), (SELECT count(*) FROM pgrst_rows WHERE pgrst_inserted)"
    ).format(statement=statement, projection=query.projection)
    rows_json, n, inserted = await (await conn.execute(wrapped, params)).fetchone()
    status = 201 if request.method == "POST" else 200
    if request.method == "POST" and prefer.get("resolution") == "merge-duplicates" and n and not inserted:
        status = 200  # PostgREST answers 200 when an upsert only updated
    # PostgREST gives an insert no range; an update or delete the rows it touched.
    headers = {"content-range": "*/*" if request.method == "POST" else content_range(0, n, None)}
    if minimal:
        if single and n != 1:
            raise PostgrestError(
                406,
                "PGRST116",
                "Cannot coerce the result to a single JSON object",
                details=f"The result contains {n} rows",
            )
        return Response(b"", 201 if request.method == "POST" else 204, headers)
    return rows_answer(rows_json, n, single=single, status=status, headers=headers)


def insert(
    request: Request, table: Table, rows: list[dict[str, Any]], prefer: dict[str, str]
) -> tuple[sql.Composable, list[Any]]:
    names = body_columns(request, table, rows)
    columns = sql.SQL(", ").join(sql.Identifier(n) for n in names)
    on_conflict = sql.SQL("")
    resolution = prefer.get("resolution")
    if resolution:
        listed = request.query_params.get("on_conflict")
        target = [unquote(n.strip()) for n in listed.split(",")] if listed else table.primary_key
        target_sql = sql.SQL(", ").join(table.column(n) for n in target)
        if resolution == "ignore-duplicates":
            on_conflict = sql.SQL(" ON CONFLICT ({}) DO NOTHING").format(target_sql)
        else:
            updates = sql.SQL(", ").join(
                sql.SQL("{c} = EXCLUDED.{c}").format(c=sql.Identifier(n)) for n in names
            )
            on_conflict = sql.SQL(" ON CONFLICT ({}) DO UPDATE SET {}").format(target_sql, updates)
    statement = sql.SQL(
        "INSERT INTO {t} AS pgrst_target ({cols}) SELECT {cols} FROM json_populate_recordset(NULL::{t}, %s::json)"
        "{on_conflict} RETURNING pgrst_target.*, (pgrst_target.xmax = 0) AS pgrst_inserted"
    ).format(t=table.ident, cols=columns, on_conflict=on_conflict)
    return statement, [json.dumps(rows)]


async def select(
    conn: psycopg.AsyncConnection,
    request: Request,
    table: Table,
    query: Query,
    prefer: dict[str, str],
    single: bool,
) -> Response:
    page = sql.SQL("")
    params = list(query.params)
    if query.limit is not None:
        page = sql.SQL(" LIMIT %s")
        params.append(query.limit)
    if query.offset:
        page = sql.SQL("{} OFFSET %s").format(page)
        params.append(query.offset)
    statement = sql.SQL(
        "SELECT coalesce(json_agg(to_json(r)), '[]')::text, count(*) "
        "FROM (SELECT {projection} FROM {t} WHERE {where}{order}{page}) r"
    ).format(projection=query.projection, t=table.ident, where=query.where, order=query.order, page=page)
    rows_json, n = await (await conn.execute(statement, params)).fetchone()
    total = None
    if prefer.get("count") == "exact":
        count = sql.SQL("SELECT count(*) FROM {t} WHERE {where}").format(t=table.ident, where=query.where)
        (total,) = await (await conn.execute(count, query.params)).fetchone()
    headers = {"content-range": content_range(query.offset, n, total)}
    response = rows_answer(rows_json, n, single=single, status=200, headers=headers)
    if request.method == "HEAD":
        return Response(b"", 200, headers)
    return response
