-- One gateway check per request, as nginx auth_request sends it: an account owner reading her
-- account with a JWT (an allow with a field mask). run.sh makes the key pair and the token for
-- the run and passes the token in VERDICT_TOKEN; no key is ever committed.
local token = os.getenv("VERDICT_TOKEN")
if token == nil or token == "" then
  error("VERDICT_TOKEN is not set; run this script through benchmarks/wrk/run.sh")
end
wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["X-Original-Method"] = "GET"
wrk.headers["X-Original-URI"] = "/accounts/a1"
