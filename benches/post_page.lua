-- wrk script: posts a valid page of answers for pre-started responses, round-robin, so that no
-- two concurrent requests save the same response. Lines of the file given after `--`:
-- path TAB Cookie header TAB form body (written by prepare_load.py). Counts answers other than
-- the success redirect (303) and prints them at the end.

local sessions = {}
local next_session = 0
refused = 0
local threads = {}

function setup(thread)
    thread:set("id", #threads)
    table.insert(threads, thread)
end

function init(args)
    for line in io.lines(args[1]) do
        local path, cookie, body = line:match("([^\t]+)\t([^\t]+)\t(.*)")
        table.insert(sessions, { path = path, cookie = cookie, body = body })
    end
    -- Each thread starts at its own part of the list.
    next_session = id * math.floor(#sessions / 4)
end

function request()
    next_session = next_session % #sessions + 1
    local s = sessions[next_session]
    return wrk.format("POST", s.path, {
        ["Cookie"] = s.cookie,
        ["Content-Type"] = "application/x-www-form-urlencoded",
    }, s.body)
end

function response(status, headers, body)
    if status ~= 303 then
        refused = refused + 1
    end
end

function done(summary, latency, requests)
    local total = 0
    for _, thread in ipairs(threads) do
        total = total + thread:get("refused")
    end
    io.write(string.format("not 303: %d\n", total))
    io.write(string.format("p99_ms: %.2f\n", latency:percentile(99) / 1000))
end
