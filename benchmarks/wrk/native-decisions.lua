-- One native decision call: a principal, 10 accounts (half hers) and 3 actions = 30 decisions.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local resources = {}
for i = 0, 9 do
  local owner = (i % 2 == 0) and "alice" or "bob"
  resources[#resources + 1] = string.format(
    '{"type":"Account","id":"a%d","owner":"%s","tenant":"t1"}', i, owner)
end
wrk.body = '{"principal":{"id":"alice","roles":["customer"],"tenant":"t1"},"resources":['
  .. table.concat(resources, ",") .. '],"actions":["read","update","delete"]}'
