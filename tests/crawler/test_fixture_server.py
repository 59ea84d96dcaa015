"""The loopback fixture server answers as the real hosts: proxy form, 304s, redirects, 412."""
import urllib.request


def fetch(server, url, headers=None):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({"http": server.proxy_url}),
                                         NoRedirect())
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_proxy_serves_real_host_names(fixture_server):
    status, headers, body = fetch(fixture_server, "http://kjj.zhangye.gov.cn/kjdt/gzdt/index.html")
    assert status == 200 and "createPageHTML" in body.decode("utf-8")
    assert fetch(fixture_server, "http://unknown.gov.cn/")[0] == 502
    assert fetch(fixture_server, "http://kjj.zhangye.gov.cn/_manifest.json")[0] == 404


def test_conditional_get(fixture_server):
    url = "http://kjj.zhangye.gov.cn/kjdt/gzdt/202302/t20230221_1000.html"
    status, headers, _ = fetch(fixture_server, url)
    assert status == 200
    assert fetch(fixture_server, url, {"If-None-Match": headers["ETag"]})[0] == 304
    assert fetch(fixture_server, url, {"If-Modified-Since": headers["Last-Modified"]})[0] == 304


def test_gbk_redirect_and_challenge(fixture_server, manifests):
    status, headers, body = fetch(fixture_server, manifests["hebi-kjj"]["articles"][0])
    assert "charset=gbk" in headers["Content-Type"] and "鹤壁".encode("gbk") in body
    status, headers, _ = fetch(fixture_server, "http://kjj.zhangye.gov.cn/kjdt/gzdt/202304/t20230402_1006.html")
    assert status == 301 and headers["Location"].endswith("/xwzx/202304/t20230402_1006.html")
    status, _, body = fetch(fixture_server, manifests["most"]["blocked"][0])
    assert status == 412 and b"$_ts" in body
