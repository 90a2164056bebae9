"""Path convertors of the routes: `{query:text}` is any text, `/` and line breaks included.

Starlette's `path` convertor (`.*`) stops at a line break, so a search for text that holds one (pasted from
somewhere) matched no route and read as a bare 404.
"""

from starlette.convertors import Convertor, register_url_convertor


class AnyText(Convertor[str]):
    regex = r"[\s\S]*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("text", AnyText())
