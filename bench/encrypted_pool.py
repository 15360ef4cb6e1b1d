"""Writes signed, encrypted (safe-mode) WeChat requests for wrk, one per line: PATH<TAB>BODY.

    python3 bench/encrypted_pool.py TOKEN ENCODING_AES_KEY APPID COUNT USERS > pool.tsv
    python3 bench/encrypted_pool.py --plain TOKEN ENCODING_AES_KEY APPID COUNT USERS > plain.tsv

Encrypted with wechatpy (scripts/install-test-tools.sh installs it), an implementation independent of ours. With
--plain, the same messages as signed plain-mode requests: replayed by the same wrk script, the two pools compare
the modes with the same work on the client's side.
"""
import hashlib, sys, time
from wechatpy.crypto import WeChatCrypto

plain = sys.argv[1] == "--plain"
arguments = sys.argv[2:] if plain else sys.argv[1:]
token, key, appid, count, users = arguments[0], arguments[1], arguments[2], int(arguments[3]), int(arguments[4])
crypto = WeChatCrypto(token, key, appid)
run = int(time.time()) % 100000
timestamp, nonce = str(int(time.time())), "5150"  # current, as WeChat signs (no clock-skew warnings)
signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
texts = ["你好", "谢谢", "查询专利201310268509.X的法律状态", "维权援助收费吗", "菜单", "我的案件进度", "今天天气怎么样"]
out = sys.stdout
for n in range(count):
    inner = (
        "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName>"
        f"<FromUserName><![CDATA[safe-{n % users}]]></FromUserName><CreateTime>1795222800</CreateTime>"
        f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{texts[n % len(texts)]}]]></Content>"
        f"<MsgId>{run * 10**9 + n}</MsgId></xml>"
    )
    if plain:
        out.write(f"/wechat?signature={signature}&timestamp={timestamp}&nonce={nonce}\t{inner}\n")
        continue
    envelope = crypto.encrypt_message(inner, nonce, timestamp)
    encrypt = envelope.split("<Encrypt><![CDATA[")[1].split("]]></Encrypt>")[0]
    msg_signature = hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode()).hexdigest()
    path = (f"/wechat?signature={signature}&timestamp={timestamp}&nonce={nonce}"
            f"&encrypt_type=aes&msg_signature={msg_signature}")
    body = f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
    out.write(f"{path}\t{body}\n")
