"""Flow files (YAML) -> `flows.schema.Flow`, collecting every problem with its file, line and field."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import yaml

from flows import who_answered
from flows.errors import FlowValidationError, Problem
from flows.loader.fields import FieldReader, type_name
from flows.loader.steps import StepBuilder
from flows.loader.yamlnodes import LocDict, LocList, line_of, parse_yaml
from flows.messages import SUPPORTED_LANGUAGES
from flows.schema import (
    FORMAT_VERSION,
    STANDARD_VARIABLES,
    Audience,
    Flow,
    Step,
)

ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
KEYWORD_RE = re.compile(r"^[A-Z0-9]{2,20}$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
DURATION_RE = re.compile(r"^(\d+)\s*(m|h|d|w)$")
DURATION_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}

TOP_FIELDS = {
    "format": True,
    "id": True,
    "version": True,
    "title": True,
    "description": False,
    "audience": True,
    "languages": True,
    "start_keyword": False,
    "expires_after": False,
    "max_reprompts": False,
    "variables": False,
    "translation_review": False,
    "returning_only": False,
    "who_answered": False,
    "help": False,
    "steps": True,
}


def parse_duration(value: str) -> timedelta:
    m = DURATION_RE.match(value.strip())
    if m is None:
        raise ValueError(value)
    return timedelta(**{DURATION_UNITS[m.group(2)]: int(m.group(1))})


class _Builder(FieldReader):
    def __init__(self, source: str, expected_id: str | None) -> None:
        super().__init__(source)
        self.expected_id = expected_id

    # -- the flow

    def build(self, data: Any) -> Flow | None:
        if not isinstance(data, LocDict):
            self.err(getattr(data, "line", 1), "(file)", "expected a mapping of flow fields")
            return None
        self._unknown_fields(data, set(TOP_FIELDS), "")
        for key, required in TOP_FIELDS.items():
            if required:
                self.req(data, key, "")
        fmt = data.get("format")
        if fmt is not None and fmt != FORMAT_VERSION:
            self.err(line_of(data, "format"), "format", f"expected {FORMAT_VERSION}, got {fmt!r}")
        flow_id = self.get_str(data, "id", "", required=False)
        if flow_id is not None and not ID_RE.match(flow_id):
            self.err(line_of(data, "id"), "id", "expected lower-case letters, digits and _")
        elif flow_id is not None and self.expected_id and flow_id != self.expected_id:
            self.err(line_of(data, "id"), "id", f"must match the file name '{self.expected_id}'")
        version = self.get_int(data, "version", "", lo=1, hi=1_000_000)
        title = self.get_str(data, "title", "", required=False)
        audience = self._audience(data)
        self._languages(data)
        self._variables(data)
        keyword = self._keyword(data)
        expires = self._expiry(data)
        max_reprompts = self.get_int(data, "max_reprompts", "", lo=0, hi=10)
        review = data.get("translation_review")
        if review is not None and (
            not isinstance(review, LocList) or any(r not in self.languages for r in review)
        ):
            self.err(
                line_of(data, "translation_review"),
                "translation_review",
                "expected a list of the flow's languages",
            )
        returning_only = data.get("returning_only", False)
        if not isinstance(returning_only, bool):
            self.err(
                line_of(data, "returning_only"),
                "returning_only",
                f"expected true or false, got {returning_only!r}",
            )
        help_text = self.get_text(data, "help", "", required=False)
        asks_who = self._who_answered(data)
        steps = self._steps(data)
        for step in steps:
            if step.id == who_answered.STEP_ID:
                self.err(
                    step.line,
                    f"steps[{steps.index(step)}].id",
                    f"'{step.id}' is the built-in who-answered question's id; "
                    "set `who_answered: ask` instead of writing the question",
                )
        if self.problems or None in (flow_id, version, title, audience) or not steps:
            return None
        assert flow_id is not None
        assert version is not None
        assert title is not None
        assert audience is not None
        return Flow(
            id=flow_id,
            version=version,
            title=title,
            audience=audience,
            languages=self.languages,
            steps=tuple(steps),
            start_keyword=keyword,
            expires_after=expires,
            max_reprompts=2 if max_reprompts is None else max_reprompts,
            description=str(data.get("description") or ""),
            variables=self.variables - STANDARD_VARIABLES,
            source=self.source,
            help=help_text,
            translation_review=tuple(review or ()),
            returning_only=returning_only is True,
            who_answered=who_answered.question(audience, self.languages) if asks_who else None,
            who_answered_set="who_answered" in data,
        )

    def _audience(self, data: LocDict) -> Audience | None:
        value = data.get("audience")
        if value is None:
            return None
        try:
            return Audience(value)
        except ValueError:
            options = " | ".join(a.value for a in Audience)
            self.err(line_of(data, "audience"), "audience", f"expected {options}, got {value!r}")
            return None

    def _languages(self, data: LocDict) -> None:
        value = data.get("languages")
        if value is None:
            return
        if not isinstance(value, LocList) or not value:
            self.err(line_of(data, "languages"), "languages", "expected a list such as [en, cy]")
            return
        langs: list[str] = []
        for i, lang in enumerate(value):
            if not isinstance(lang, str) or not LANG_RE.match(lang):
                self.err(
                    line_of(value, i), f"languages[{i}]", f"expected a language code, got {lang!r}"
                )
            elif lang not in SUPPORTED_LANGUAGES:
                supported = ", ".join(SUPPORTED_LANGUAGES)
                self.err(
                    line_of(value, i),
                    f"languages[{i}]",
                    f"'{lang}' has no system messages yet; supported: {supported}",
                )
            elif lang in langs:
                self.err(line_of(value, i), f"languages[{i}]", f"'{lang}' is listed twice")
            else:
                langs.append(lang)
        if langs:
            self.languages = tuple(langs)

    def _variables(self, data: LocDict) -> None:
        value = data.get("variables")
        if value is None:
            return
        if not isinstance(value, LocList) or not all(
            isinstance(v, str) and v.isidentifier() for v in value
        ):
            self.err(line_of(data, "variables"), "variables", "expected a list of variable names")
            return
        self.variables = STANDARD_VARIABLES | frozenset(value)

    def _who_answered(self, data: LocDict) -> bool:
        value = data.get("who_answered")
        if value is None or value is False:  # YAML reads a bare `off` as false
            return False
        if value not in who_answered.SETTINGS:
            self.err(
                line_of(data, "who_answered"),
                "who_answered",
                f"expected ask or off, got {type_name(value)}",
            )
        return bool(value == who_answered.ASK)

    def _keyword(self, data: LocDict) -> str | None:
        value = self.get_str(data, "start_keyword", "", required=False)
        if value is not None and not KEYWORD_RE.match(value):
            self.err(
                line_of(data, "start_keyword"),
                "start_keyword",
                "expected one word in capitals or digits, such as FEEDBACK",
            )
            return None
        return value

    def _expiry(self, data: LocDict) -> timedelta:
        value = data.get("expires_after")
        if value is None:
            return timedelta(days=3)
        try:
            return parse_duration(str(value))
        except ValueError:
            self.err(
                line_of(data, "expires_after"),
                "expires_after",
                f"expected a duration such as 30m, 12h, 3d or 2w, got {value!r}",
            )
            return timedelta(days=3)

    def _steps(self, data: LocDict) -> list[Step]:
        raw = data.get("steps")
        if raw is None:
            return []
        if not isinstance(raw, LocList) or not raw:
            self.err(line_of(data, "steps"), "steps", "expected a list of steps")
            return []
        return StepBuilder(self).build_all(raw)


def load_flow_text(text: str, source: str = "<flow>", expected_id: str | None = None) -> Flow:
    builder = _Builder(source, expected_id)
    try:
        data = parse_yaml(text)
    except yaml.YAMLError as exc:
        # The context ("while scanning a quoted scalar") marks where the broken part began, which
        # is where a person must look; the problem mark is often the end of the file.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        message = f"not valid YAML: {context + ': ' if context else ''}{problem}"
        raise FlowValidationError([Problem(source, line, "(yaml)", message)]) from exc
    flow = builder.build(data)
    if builder.problems or flow is None:
        problems = builder.problems or [Problem(source, 1, "(file)", "not a flow")]
        raise FlowValidationError(sorted(problems, key=lambda p: (p.line, p.field)))
    return flow


def load_flow(path: str | Path) -> Flow:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FlowValidationError([Problem(str(path), 1, "(file)", f"cannot read: {exc}")]) from exc
    return load_flow_text(text, str(path), expected_id=path.stem)
