-- Counter reception spread over several units, as in a province: each unit numbers its own
-- dossiers (one counter row per unit and day), so receptions at different units do not wait
-- for each other's counter. SPREAD is "unit=token,unit=token,..." (the officer of each unit);
-- request i goes to unit i mod n.
local units, tokens = {}, {}
for unit, token in string.gmatch(os.getenv("SPREAD") or "", "([^=,]+)=([^,]+)") do
  units[#units + 1] = unit
  tokens[#tokens + 1] = token
end
local i = 0
request = function()
  i = i + 1
  local k = (i % #units) + 1
  local body = '{"procedureCode":"1.001193","channel":"window","receivingUnit":"' .. units[k] ..
    '","applicant":{"idNumber":"001190012345","fullName":"Phạm Thị Hoa","phone":"0912345678"}}'
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. tokens[k] }, body)
end
