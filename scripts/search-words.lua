-- wrk script: every request a search not asked before (two words of the
-- list given in the WORDS environment variable, paired in a fixed order
-- from a per-thread start, and a word excluded that no document holds,
-- numbered per request), so no answer comes from the page cache.
-- Usage: WORDS="a b c ..." wrk -s scripts/search-words.lua URL
local words = {}
for w in string.gmatch(os.getenv("WORDS") or "strike", "%S+") do
    words[#words + 1] = w
end
local counter = 0
local offset = 0

function setup(thread)
    offset = offset + 1
    thread:set("offset", offset)
end

function request()
    counter = counter + 1
    local n = #words
    local i = counter * 7 + offset * 104729
    local a = words[(i % n) + 1]
    local b = words[(math.floor(i / n) % n) + 1]
    return wrk.format("GET", "/search.json?q=" .. a .. "+" .. b .. "+-zq" .. offset .. "x" .. counter)
end
