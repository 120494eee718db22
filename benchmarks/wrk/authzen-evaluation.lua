-- One AuthZEN evaluation per request: an account owner reading her account (an allow with a field mask).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"subject":{"type":"User","id":"alice","properties":{"roles":["customer"],"tenant":"t1"}},
"resource":{"type":"Account","id":"a1","properties":{"owner":"alice","tenant":"t1"}},
"action":{"name":"read"}}]]
