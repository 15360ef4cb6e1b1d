-- wrk script: signed plain-mode WeChat text messages from many distinct users.
-- Arguments (after --): path (signed /wechat?... or /bench/echo), users, run id.
local threads = {}

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    path = args[1]
    users = tonumber(args[2]) or 1000
    run = tonumber(args[3]) or 0
    counter = 0
    texts = { "你好", "谢谢", "查询专利201310268509.X的法律状态", "维权援助收费吗", "菜单", "我的案件进度", "今天天气怎么样" }
end

function request()
    counter = counter + 1
    local user = "bench-" .. ((id * 7919 + counter) % users)
    -- Built as text: LuaJIT's numbers are doubles, and a 15-digit sum prints in exponent form with 14 digits, so
    -- ids of different messages would collide (and be answered as retries).
    local msg_id = string.format("%d%d%08d", run, id, counter)
    local text = texts[(counter % #texts) + 1]
    local body = "<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[" .. user ..
        "]]></FromUserName><CreateTime>1795222800</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[" ..
        text .. "]]></Content><MsgId>" .. msg_id .. "</MsgId></xml>"
    return wrk.format("POST", path, { ["Content-Type"] = "text/xml" }, body)
end
