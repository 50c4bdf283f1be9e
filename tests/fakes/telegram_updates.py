"""The chats a fake Telegram knows, and the updates people in them send, in the real JSON shapes."""

from __future__ import annotations

import copy
import itertools
import threading
from typing import Any

from tests.fakes.telegram_wire import Json

# 2026-03-14 18:00 UTC: fixed so recorded conversations are identical on every run.
FIXED_DATE = 1773511200
EDIT_DATE = FIXED_DATE + 60
USER_IN_GROUP = 424242


def user(user_id: int, first_name: str) -> Json:
    return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "en"}


class TelegramChats:
    """Update and message numbering shared by the updates people send and the bot's replies."""

    def __init__(self, bot_id: int, bot_username: str) -> None:
        self.bot_id = bot_id
        self.bot_username = bot_username
        # An RLock underneath, so helpers may re-enter while a caller holds it.
        self._cond = threading.Condition()
        self._next_update_id = 1
        self._message_ids: dict[int, int] = {}
        self._latest_from_person: dict[int, int] = {}
        self._chats: dict[int, Json] = {}
        self._bot_messages: dict[tuple[int, int], Json] = {}
        self._callback_ids: set[str] = set()
        self._callback_serials = itertools.count(4_000_000_000_001)

    def text_update(
        self,
        chat_id: int,
        text: str,
        *,
        first_name: str = "Alex",
        update_id: int | None = None,
        chat_type: str = "private",
    ) -> Json:
        if chat_type == "private":
            chat: Json = {"id": chat_id, "type": "private", "first_name": first_name}
            sender = user(chat_id, first_name)
        else:
            chat = {"id": chat_id, "type": chat_type, "title": "Test group"}
            sender = user(USER_IN_GROUP, first_name)
        return self._update("message", self._message(chat, sender, text=text), update_id)

    def command_update(self, chat_id: int, command: str, payload: str | None = None) -> Json:
        command = "/" + command.lstrip("/")
        update = self.text_update(chat_id, command if payload is None else f"{command} {payload}")
        update["message"]["entities"] = [
            {"type": "bot_command", "offset": 0, "length": len(command)}
        ]
        return update

    def callback_update(self, chat_id: int, data: str, *, message_id: int | None = None) -> Json:
        with self._cond:
            if message_id is None:
                ours = [mid for cid, mid in self._bot_messages if cid == chat_id]
                message_id = max(ours, default=None)
            message = self._bot_messages.get((chat_id, message_id or 0))
            if message is None:
                # Buttons are pressed on a message the bot sent; invent it so edits can find it.
                message = self.bot_message(chat_id, "…", None, message_id)
            callback_id = str(next(self._callback_serials))
            self._callback_ids.add(callback_id)
            query = {
                "id": callback_id,
                "from": user(chat_id, self.chat(chat_id).get("first_name", "Alex")),
                "message": copy.deepcopy(message),
                "chat_instance": str(-7_000_000_000_000 - chat_id),
                "data": data,
            }
        return self._update("callback_query", query)

    def sticker_update(self, chat_id: int) -> Json:
        sticker = {
            "file_id": "CAACAgIAAxkBAAIBsticker",
            "file_unique_id": "AgADsticker",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return self._private_update(chat_id, sticker=sticker)

    def photo_update(self, chat_id: int) -> Json:
        photo = [
            {"file_id": f"AgACAgQAAxkBAAIBphoto{side}", "file_unique_id": f"AQADphoto{side}",
             "width": side, "height": side * 3 // 4, "file_size": side * 40}
            for side in (90, 320, 1280)
        ]  # fmt: skip
        return self._private_update(chat_id, photo=photo)

    def voice_update(self, chat_id: int) -> Json:
        voice = {
            "file_id": "AwACAgQAAxkBAAIBvoice",
            "file_unique_id": "AgADvoice",
            "duration": 4,
            "mime_type": "audio/ogg",
            "file_size": 13_000,
        }
        return self._private_update(chat_id, voice=voice)

    def edited_message_update(self, chat_id: int, text: str) -> Json:
        with self._cond:
            # An edit changes the person's latest message rather than adding one.
            latest = self._latest_from_person.get(chat_id)
        update = self._private_update(chat_id, latest, text=text, edit_date=EDIT_DATE)
        return {"update_id": update["update_id"], "edited_message": update["message"]}

    def channel_post_update(self, chat_id: int, text: str) -> Json:
        chat = {"id": chat_id, "type": "channel", "title": "SEND news"}
        with self._cond:
            message_id = self._next_message_id(chat_id)
        post = {"message_id": message_id, "sender_chat": chat, "chat": chat, "date": FIXED_DATE}
        return self._update("channel_post", {**post, "text": text})

    def group_message_update(self, chat_id: int, text: str) -> Json:
        return self.text_update(chat_id, text, chat_type="group")

    # -- shared with the fake server (callers hold self._cond or are single-threaded) ---------

    def bot_user(self) -> Json:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "SendVoice Test",
            "username": self.bot_username,
        }

    def chat(self, chat_id: int) -> Json:
        if chat_id in self._chats:
            return dict(self._chats[chat_id])
        if chat_id < 0:
            return {"id": chat_id, "type": "group", "title": "Test group"}
        return {"id": chat_id, "type": "private", "first_name": "Alex"}

    def bot_message(
        self, chat_id: int, text: str, markup: Json | None, message_id: int | None = None
    ) -> Json:
        message: Json = {
            "message_id": message_id or self._next_message_id(chat_id),
            "from": self.bot_user(),
            "chat": self.chat(chat_id),
            "date": FIXED_DATE,
            "text": text,
        }
        if markup:
            message["reply_markup"] = markup
        self._bot_messages[(chat_id, message["message_id"])] = message
        return copy.deepcopy(message)

    def _private_update(self, chat_id: int, message_id: int | None = None, **content: Any) -> Json:
        first_name = self.chat(chat_id).get("first_name", "Alex")
        chat = {"id": chat_id, "type": "private", "first_name": first_name}
        message = self._message(chat, user(chat_id, first_name), message_id, **content)
        return self._update("message", message)

    def _message(
        self, chat: Json, sender: Json, message_id: int | None = None, **content: Any
    ) -> Json:
        with self._cond:
            self._chats[chat["id"]] = dict(chat)
            message_id = message_id or self._next_message_id(chat["id"])
            self._latest_from_person[chat["id"]] = message_id
        return {
            "message_id": message_id,
            "from": sender,
            "chat": chat,
            "date": FIXED_DATE,
            **content,
        }

    def _next_message_id(self, chat_id: int) -> int:
        # Messages from both sides of a chat share one sequence, as in Telegram.
        self._message_ids[chat_id] = self._message_ids.get(chat_id, 0) + 1
        return self._message_ids[chat_id]

    def _update(self, kind: str, payload: Json, update_id: int | None = None) -> Json:
        with self._cond:
            if update_id is None:
                update_id = self._next_update_id
            self._next_update_id = max(self._next_update_id, update_id + 1)
        return {"update_id": update_id, kind: payload}
