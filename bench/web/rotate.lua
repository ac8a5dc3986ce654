-- bench/web: every request asks for another school's page (codes from the file named by the
-- SCHOOLS environment variable), so the server's kept pages (256 slots) rarely help: this is
-- the cost of building a school page from the loaded year.
local codes = {}
for line in io.lines(os.getenv("SCHOOLS")) do codes[#codes + 1] = line end
local i = 0
request = function()
    i = i % #codes + 1
    return wrk.format("GET", "/schools/" .. codes[i] .. "?year=2024")
end
