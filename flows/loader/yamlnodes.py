"""YAML -> plain data that remembers where every key and item was, so errors can name the line."""

from __future__ import annotations

from typing import Any

import yaml
import yaml.constructor


class LocDict(dict[Any, Any]):
    line: int
    key_lines: dict[Any, int]
    duplicates: list[tuple[Any, int]]


class LocList(list[Any]):
    line: int
    item_lines: list[int]


class _Constructor(yaml.constructor.SafeConstructor):
    pass


def parse_yaml(text: str) -> Any:
    """Parse one YAML document; raises yaml.YAMLError (with a mark) on bad syntax."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is None:
        return None
    return _convert(node, _Constructor())


def _convert(node: yaml.Node, constructor: _Constructor) -> Any:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out = LocDict()
        out.line = line
        out.key_lines = {}
        out.duplicates = []
        constructor.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = _convert(key_node, constructor)
            if isinstance(key, LocDict | LocList):
                key = str(key)
            key_line = key_node.start_mark.line + 1
            if key in out:
                out.duplicates.append((key, key_line))
            out[key] = _convert(value_node, constructor)
            out.key_lines[key] = key_line
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LocList()
        seq.line = line
        seq.item_lines = []
        for item in node.value:
            seq.append(_convert(item, constructor))
            seq.item_lines.append(item.start_mark.line + 1)
        return seq
    return constructor.construct_object(node, deep=True)


def line_of(container: Any, key: Any = None, default: int = 1) -> int:
    if isinstance(container, LocDict):
        if key is not None and key in container.key_lines:
            return container.key_lines[key]
        return container.line
    if isinstance(container, LocList):
        if isinstance(key, int) and 0 <= key < len(container.item_lines):
            return container.item_lines[key]
        return container.line
    return default
