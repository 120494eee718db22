-- One AuthZEN evaluation on a set from PolicySetGenerator (e.g. 10000/500): the owner of a Doc0 reads it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{"subject":{"type":"User","id":"alice","properties":{"roles":["user"],"tenant":"t1","trust":50}},"resource":{"type":"Doc0","id":"d1","properties":{"owner":"alice","tenant":"t1","level":1,"archived":false,"tags":[],"meta":{"ssn":"123-45-6789","email":"a@example.com","note":"public"}}},"action":{"name":"read"},"context":{"mfa":true,"ip":"10.1.2.3"}}]]
