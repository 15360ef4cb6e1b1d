#!/usr/bin/env python3
"""Cross-checks the Swift safe-mode cipher (WeChatChannel) against wechatpy's WeChatCrypto.

Driven by Tests/WeChatChannelTests/WechatpyInteropTests.swift; reads one JSON document on standard input and
writes one on standard output. Needs wechatpy with its `cryptography` backend: scripts/install-test-tools.sh.

  encrypt   in:  {"token", "encoding_aes_key", "app_id", "account"}
            out: [{"name", "plaintext", "content", "encrypt", "msg_signature", "signature", "timestamp", "nonce",
                   "wechatpy_envelope", "safe_body", "compat_body"}]
            wechatpy encrypts inbound messages as WeChat would send them (Chinese, long, CDATA, emoji, events,
            a control character, and a sweep of lengths so the 32-byte pad takes many values).

  decrypt   in:  {"token", "encoding_aes_key", "app_id",
                  "items": [{"envelope", "timestamp", "nonce", "signature"}]}
            out: [{"ok": true, "plaintext", "content"} | {"ok": false, "error": "<exception class>"}]
            For every Swift-sealed reply: checks the URL signature with check_signature, that the envelope echoes
            the timestamp and nonce, then decrypt_message with the envelope's MsgSignature (which verifies it),
            and parses the plaintext with parse_message.

  vectors   in:  {"token", "encoding_aes_key", "app_id", "timestamp", "nonce", "random", "messages": [...]}
            out: [{"message", "encrypt", "msg_signature"}]
            Deterministic encryption with a fixed 16-character random prefix (to regenerate the fixed vectors
            embedded in WeChatCipherTests.swift).

Exit status: 0 on success, 3 when wechatpy cannot be imported, 2 on bad usage.
"""

import json
import random
import sys

try:
    import xmltodict
    from wechatpy import parse_message
    from wechatpy.crypto import PrpCrypto, WeChatCrypto
    from wechatpy.exceptions import InvalidSignatureException
    from wechatpy.utils import WeChatSigner, check_signature
except ImportError as error:  # pragma: no cover - the message is the point
    sys.stderr.write(
        "wechatpy is not importable by %s (%s): run scripts/install-test-tools.sh\n" % (sys.executable, error)
    )
    sys.exit(3)

# Removed by the Swift parser before parsing (C0 controls except tab, LF, CR; and DEL).
_STRIPPED = set(range(0x20)) - {0x09, 0x0A, 0x0D} | {0x7F}


def _sign(*parts):
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def _cdata(value):
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _text_message(account, user, create_time, content, msg_id):
    return (
        "<xml><ToUserName>%s</ToUserName>\n<FromUserName>%s</FromUserName>\n<CreateTime>%d</CreateTime>\n"
        "<MsgType><![CDATA[text]]></MsgType>\n<Content>%s</Content>\n<MsgId>%d</MsgId>\n</xml>"
        % (_cdata(account), _cdata(user), create_time, _cdata(content), msg_id)
    )


def _subscribe_event(account, user, create_time, scene):
    return (
        "<xml><ToUserName>%s</ToUserName><FromUserName>%s</FromUserName><CreateTime>%d</CreateTime>"
        "<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>"
        "<EventKey><![CDATA[qrscene_%s]]></EventKey><Ticket><![CDATA[gQH47joAAAAAAAAAASxodHRwOi8v]]></Ticket></xml>"
        % (_cdata(account), _cdata(user), create_time, scene)
    )


def _inbound_messages(account):
    user = "oia2TjjewbmiOUlr6X-1crbLOZLw"
    rng = random.Random(20240501)
    contents = [
        ("chinese", "我是中文abcd123"),
        ("chinese-question", "您好，我的商标被人抢注了，应该怎么办？请问维权援助中心能提供哪些帮助？"),
        ("long", "专利侵权纠纷的处理流程。" * 300 + "END"),
        ("long-mixed", "".join(rng.choice("知识产权保护援助abcXYZ0123 ,.!？") for _ in range(3000))),
        ("cdata-terminator", "a]]>b ]]]]> <tag attr=\"x\">&amp;&lt;</tag> ]]"),
        ("markup-like", "<xml><Content>fake</Content></xml> & < >"),
        ("emoji", "表情😀👍🏽 four-byte 𠀋 characters"),
        ("newlines", "第一行\n第二行\r\n\t第三行"),
        ("control-character", "before\x1dafter\x02end"),
        ("single", "a"),
    ]
    messages = []
    for index, (name, content) in enumerate(contents):
        expected = "".join(ch for ch in content if ord(ch) not in _STRIPPED)
        xml = _text_message(account, user, 1714037059 + index, content, 24530000000000000 + index)
        messages.append((name, xml, expected, "text"))
    # A sweep of lengths: the inner XML grows one UTF-8 byte at a time (ASCII) and three (Chinese), so the pad
    # of the encrypted data takes every value 1...32 several times over.
    for length in range(0, 70):
        content = "x" * length
        messages.append(("ascii-%d" % length, _text_message(account, user, 1714040000, content, 1000 + length),
                         content, "text"))
    for length in range(0, 40):
        content = "权" * length
        messages.append(("chinese-%d" % length, _text_message(account, user, 1714050000, content, 2000 + length),
                         content, "text"))
    messages.append(("event-subscribe", _subscribe_event(account, user, 1714060000, "123"), None, "event"))
    return messages


def _envelope_fields(envelope):
    return xmltodict.parse(envelope)["xml"]


def command_encrypt(config):
    token, key, app_id = config["token"], config["encoding_aes_key"], config["app_id"]
    account = config["account"]
    crypto = WeChatCrypto(token, key, app_id)
    rng = random.Random(7)
    out = []
    for name, plaintext, content, msg_type in _inbound_messages(account):
        timestamp = str(1714037059 + rng.randrange(100000))
        nonce = str(rng.randrange(10**8, 10**10))
        wechatpy_envelope = crypto.encrypt_message(plaintext, nonce, timestamp)
        fields = _envelope_fields(wechatpy_envelope)
        encrypt = fields["Encrypt"]
        msg_signature = fields["MsgSignature"]
        if msg_signature != _sign(token, timestamp, nonce, encrypt):
            raise SystemExit("wechatpy's envelope signature does not verify")
        # What WeChat POSTs: the safe-mode envelope, and the compatible-mode body (plaintext fields + Encrypt).
        safe_body = "<xml><ToUserName>%s</ToUserName><Encrypt>%s</Encrypt></xml>" % (_cdata(account), _cdata(encrypt))
        head, _, _ = plaintext.rpartition("</xml>")
        compat_body = head + "<Encrypt>%s</Encrypt>\n</xml>" % _cdata(encrypt)
        # Round trip through wechatpy itself, so a Swift failure is never wechatpy disagreeing with itself.
        if crypto.decrypt_message(safe_body, msg_signature, timestamp, nonce) != plaintext:
            raise SystemExit("wechatpy does not decrypt its own message %s" % name)
        out.append({
            "name": name,
            "msg_type": msg_type,
            "plaintext": plaintext,
            "content": content,
            "encrypt": encrypt,
            "msg_signature": msg_signature,
            "signature": _sign(token, timestamp, nonce),
            "timestamp": timestamp,
            "nonce": nonce,
            "wechatpy_envelope": wechatpy_envelope,
            "safe_body": safe_body,
            "compat_body": compat_body,
        })
    return out


def command_decrypt(config):
    token, key, app_id = config["token"], config["encoding_aes_key"], config["app_id"]
    crypto = WeChatCrypto(token, key, app_id)
    out = []
    for item in config["items"]:
        try:
            check_signature(token, item["signature"], item["timestamp"], item["nonce"])
            fields = _envelope_fields(item["envelope"])
            if fields["TimeStamp"] != item["timestamp"] or fields["Nonce"] != item["nonce"]:
                raise ValueError("the envelope does not echo the timestamp and nonce")
            plaintext = crypto.decrypt_message(item["envelope"], fields["MsgSignature"], item["timestamp"],
                                               item["nonce"])
            message = parse_message(plaintext)
            out.append({"ok": True, "plaintext": plaintext, "content": getattr(message, "content", None)})
        except Exception as error:  # reported to the Swift side, which expects some items to fail
            out.append({"ok": False, "error": type(error).__name__})
    return out


def command_vectors(config):
    token, key, app_id = config["token"], config["encoding_aes_key"], config["app_id"]
    fixed_random = config["random"]

    class FixedPrpCrypto(PrpCrypto):
        def get_random_string(self):
            return fixed_random

    crypto = WeChatCrypto(token, key, app_id)
    out = []
    for message in config["messages"]:
        envelope = crypto._encrypt_message(message, config["nonce"], config["timestamp"], FixedPrpCrypto)
        fields = _envelope_fields(envelope)
        out.append({"message": message, "encrypt": fields["Encrypt"], "msg_signature": fields["MsgSignature"]})
    return out


def main(argv):
    commands = {"encrypt": command_encrypt, "decrypt": command_decrypt, "vectors": command_vectors}
    if len(argv) != 2 or argv[1] not in commands:
        sys.stderr.write("usage: wechatpy_interop.py {encrypt|decrypt|vectors} < input.json\n")
        return 2
    config = json.load(sys.stdin)
    json.dump(commands[argv[1]](config), sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
