-- One AuthZEN evaluation on the banking example set (policies/banking): alice reads her account.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"subject":{"type":"User","id":"alice","properties":{"roles":["customer"],"tenant":"bank1"}},"resource":{"type":"Account","id":"a1","properties":{"owner":"alice","tenant":"bank1","frozen":false}},"action":{"name":"read"}}]]
