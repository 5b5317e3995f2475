import pytest

from sync.errors import InsecureServerUrl
from sync.http import check_server_url, make_http_client


@pytest.mark.parametrize("url", ["http://127.0.0.1:8000", "http://localhost:8000/", "http://[::1]:80",
                                 "https://carnet.example.fr"])
def test_accepted_server_urls(url):
    assert not check_server_url(url).endswith("/")


@pytest.mark.parametrize("url", ["http://carnet.example.fr", "http://192.168.1.10", "ftp://x",
                                 "https://user:pw@carnet.example.fr", "not a url", ""])
def test_refused_server_urls(url):
    with pytest.raises(InsecureServerUrl):
        check_server_url(url)


def test_client_verifies_tls_and_has_timeouts():
    client = make_http_client("https://carnet.example.fr")
    assert client.timeout.read == 30.0
    assert client.follow_redirects is False
    client.close()
