def test_unknown_route_is_an_operation_outcome(client):
    response = client.get("/no/such/route")
    assert response.status_code == 404
    body = response.json()
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["code"] == "not-found"


def test_live_server_answers_on_loopback(live_server):
    import httpx

    assert httpx.get(live_server.url + "/health").json() == {"status": "ok"}
