"""Language of parts on English pages (WCAG 3.1.2): every run of Chinese text that reaches
an English page is wrapped in ``<span lang="zh-Hans">``, unless an enclosing element already
states its language. Catalog names without an English translation, people's names and Chinese
addresses are read correctly by screen readers that way.

Templates mark what they know (``|citation``, ``|lang_marked``); this pass is the net under
them for data shown as it is. Text inside <script>, <style>, <title>, <textarea> and <option>
cannot hold markup and is left alone (<option> gets the ``lang`` attribute instead).
"""

from __future__ import annotations

import re

from flask import Flask, Response

_TOKEN = re.compile(r"(<!--.*?-->|<[^>]+>)", re.S)
_TAG = re.compile(r"<\s*(/)?\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>", re.S)
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_CJK_CHAR = r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef《》“”‘’]"
_RUN = re.compile(rf"{_CJK_CHAR}+(?:[ ·\d]*{_CJK_CHAR}+)*")
_LANG_ATTR = re.compile(r"\blang\s*=", re.I)
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}  # fmt: skip
RAW = {"script", "style", "title", "textarea", "option"}


def _wrap(text: str) -> str:
    if not _HAN.search(text):
        return text

    def span(match: re.Match) -> str:
        run = match.group(0)
        return f'<span lang="zh-Hans">{run}</span>' if _HAN.search(run) else run

    return _RUN.sub(span, text)


def mark_chinese_parts(html: str) -> str:
    """The page with Chinese text runs outside any ``lang``-marked element wrapped."""
    if not _HAN.search(html):
        return html
    out: list[str] = []
    stack: list[tuple[str, bool]] = []  # (element, states its own language)
    for piece in _TOKEN.split(html):
        if not piece:
            continue
        if piece.startswith("<"):
            tag = _TAG.match(piece)
            if tag and not piece.startswith("<!"):
                closing, name, attrs = tag.group(1), tag.group(2).lower(), tag.group(3)
                if closing:
                    while stack:
                        if stack.pop()[0] == name:
                            break
                elif name not in VOID and not attrs.rstrip().endswith("/"):
                    has_lang = name != "html" and bool(_LANG_ATTR.search(attrs))
                    stack.append((name, has_lang))
            out.append(piece)
            continue
        inside_raw = any(name in RAW for name, _lang in stack)
        marked = any(lang for _name, lang in stack)
        if inside_raw or marked:
            out.append(piece)
        else:
            out.append(_wrap(piece))
    return "".join(out)


def _mark_options(html: str) -> str:
    def option(match: re.Match) -> str:
        attrs, text = match.group(1), match.group(2)
        if _HAN.search(text) and not _LANG_ATTR.search(attrs):
            return f'<option lang="zh-Hans"{attrs}>{text}</option>'
        return match.group(0)

    return re.sub(r"<option([^>]*)>([^<]*)</option>", option, html)


def init_app(app: Flask) -> None:
    from webapp.core.i18n import current_locale

    @app.after_request
    def _language_of_parts(response: Response) -> Response:
        if (
            response.mimetype == "text/html"
            and not response.direct_passthrough
            and current_locale() == "en"
        ):
            html = response.get_data(as_text=True)
            marked = _mark_options(mark_chinese_parts(html))
            if marked != html:
                response.set_data(marked)
        return response
