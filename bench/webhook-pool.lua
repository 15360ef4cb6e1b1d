-- wrk script: replays prepared requests (PATH<TAB>BODY per line), each thread taking every other line.
local threads = {}

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    requests = {}
    for line in io.lines(args[1]) do
        local path, body = line:match("^([^\t]+)\t(.*)$")
        requests[#requests + 1] = { path, body }
    end
    step = tonumber(args[2]) or 2
    index = id - 1
end

function request()
    local r = requests[(index % #requests) + 1]
    index = index + step
    return wrk.format("POST", r[1], { ["Content-Type"] = "text/xml" }, r[2])
end
