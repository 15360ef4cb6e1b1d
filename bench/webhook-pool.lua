-- wrk script: replays prepared requests (PATH<TAB>BODY per line), each thread taking every other line.
-- Each thread formats its own requests once, before the run: during it the client only sends what is ready, so a
-- larger body (safe mode's) costs the client no more than a small one, and the two modes compare the server's work.
local threads = {}

function setup(thread)
    thread:set("id", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    step = tonumber(args[2]) or 2
    requests = {}
    local line_number = 0
    for line in io.lines(args[1]) do
        if line_number % step == id - 1 then
            local path, body = line:match("^([^\t]+)\t(.*)$")
            requests[#requests + 1] = wrk.format("POST", path, { ["Content-Type"] = "text/xml" }, body)
        end
        line_number = line_number + 1
    end
    index = 0
end

function request()
    index = index + 1
    return requests[((index - 1) % #requests) + 1]
end
