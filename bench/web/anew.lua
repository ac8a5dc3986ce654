-- bench/web: every request the page of the PAGE environment variable with a query argument of
-- its own («anew=N»): the server keeps rendered pages by their whole address, so none is kept
-- and each is built anew from the loaded year — the dashboard, a procedure, a list.
local page = os.getenv("PAGE")
local sep = page:find("?", 1, true) and "&" or "?"
local i = 0
request = function()
    i = i + 1
    return wrk.format("GET", page .. sep .. "anew=" .. i)
end
