"""A minimal WeChat-server stand-in for scripts: signed, plain-mode text (and image) messages over HTTP keep-alive.

Used by crash-test.sh and bench/webhook.sh; standard library only.
"""
import hashlib
import http.client
import re
import time

AID_ANSWERS = [
    "我要申请维权援助", "1", "2", "南宁某某科技有限公司", "13800138000", "1", "1", "201310268509.X",
    "深圳某某贸易有限公司", "他们在网店上销售仿冒我们专利的产品", "1 4", "有购买记录和网页截图", "1",
]
CASE_ID = re.compile(r"WQ\d{12}")


def signed_path(token, timestamp="1795222800", nonce="4242"):
    parts = sorted([token, timestamp, nonce])
    signature = hashlib.sha1("".join(parts).encode()).hexdigest()
    return f"/wechat?signature={signature}&timestamp={timestamp}&nonce={nonce}"


def text_message(user, content, msg_id, create_time=None):
    create_time = create_time or int(time.time())
    return (
        "<xml><ToUserName><![CDATA[gh_crashtest]]></ToUserName>"
        f"<FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{create_time}</CreateTime>"
        f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>"
    ).encode()


def image_message(user, media_id, msg_id, create_time=None):
    create_time = create_time or int(time.time())
    return (
        "<xml><ToUserName><![CDATA[gh_crashtest]]></ToUserName>"
        f"<FromUserName><![CDATA[{user}]]></FromUserName><CreateTime>{create_time}</CreateTime>"
        f"<MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://example.invalid/{media_id}.jpg]]></PicUrl>"
        f"<MediaId><![CDATA[{media_id}]]></MediaId><MsgId>{msg_id}</MsgId></xml>"
    ).encode()


def reply_content(body):
    match = re.search(r"<Content><!\[CDATA\[(.*?)\]\]></Content>", body, re.S)
    return match.group(1) if match else ""


class Client:
    def __init__(self, port, token):
        self.port = port
        self.path = signed_path(token)
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

    def post(self, body):
        self.connection.request("POST", self.path, body=body, headers={"Content-Type": "text/xml"})
        response = self.connection.getresponse()
        return response.status, response.read().decode()

    def close(self):
        self.connection.close()
