"""Small flows written inline for engine tests."""

from __future__ import annotations

from flows.loader.flowfile import load_flow_text
from flows.schema import Flow

BRANCHING = """
format: 1
id: branching
version: 3
title: Branching test
audience: parent
languages: [en, cy]
expires_after: 2d
max_reprompts: 2
help: {en: "We ask about the workshop.", cy: "Rydym yn holi am y gweithdy."}
steps:
  - id: hello
    type: message
    say: {en: "Hi {first_name}, about {event_name}.", cy: "Helo {first_name}, am {event_name}."}
  - id: attended
    type: yes_no
    ask: {en: "Did you go?", cy: "Aethoch chi?"}
    allow: [skip]
    next:
      - if: attended == no
        go: why_not
  - id: rating
    type: scale
    ask: {en: "How was it?", cy: "Sut oedd e?"}
    range: [1, 5]
    labels:
      1: {en: Poor, cy: Gwael}
      2: {en: Not great, cy: Ddim yn wych}
      3: {en: OK, cy: Iawn}
      4: {en: Good, cy: Da}
      5: {en: Excellent, cy: Ardderchog}
    allow: [skip, dont_know]
    next:
      - if: rating <= 2
        go: problem
      - go: topics
  - id: problem
    type: text
    ask: {en: "What was the main problem?", cy: "Beth oedd y brif broblem?"}
    max_length: 20
    next: topics
  - id: topics
    type: multi_choice
    ask: {en: "Which parts helped?", cy: "Pa rannau oedd o help?"}
    max_choices: 2
    options:
      - {value: talks, label: {en: Talks, cy: Sgyrsiau}}
      - {value: chat, label: {en: Chatting, cy: Sgwrsio}}
      - {value: leaflets, label: {en: Leaflets, cy: Taflenni}}
    next: end
  - id: why_not
    type: text
    ask: {en: "What stopped you?", cy: "Beth wnaeth eich rhwystro?"}
    allow: [prefer_not_to_say]
  - id: bye
    type: message
    say: {en: "Thanks.", cy: "Diolch."}
"""


def branching() -> Flow:
    return load_flow_text(BRANCHING, "branching.yaml")
