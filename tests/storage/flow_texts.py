"""Small flow files for the versions tests: v1 and a v2 that changes a question and its options."""

from __future__ import annotations

V1 = """\
format: 1
id: coffee_morning
version: 1
title: Coffee morning feedback
audience: parent
languages: [en]
start_keyword: COFFEE
who_answered: off
expires_after: 3d
steps:
  - id: rating
    type: scale
    ask: "How useful was the coffee morning?"
    range: [1, 5]
    labels: {1: Not useful, 2: A little, 3: OK, 4: Useful, 5: Very useful}
    allow: [skip]
    next:
      - if: rating <= 2
        go: what_went_wrong
      - go: come_again
  - id: what_went_wrong
    type: text
    ask: "Sorry about that. What could we do better?"
  - id: come_again
    type: choice
    ask: "Will you come again?"
    options:
      - value: "yes"
        label: "Yes"
      - value: "no"
        label: "No"
  - id: thanks
    type: message
    say: "Thank you, goodbye."
"""

V2 = (
    V1.replace("How useful was the coffee morning?", "Was the coffee morning useful to you?")
    .replace(
        '        label: "No"\n',
        '        label: "No"\n      - value: maybe\n        label: "Maybe"\n',
    )
    .replace("Thank you, goodbye.", "Thanks! See you at the next one.")
)

BROKEN = V1.replace("type: scale", "type: scael")
