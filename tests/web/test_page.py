#!/usr/bin/env python3
"""The web page of `redline serve` in a real browser (Debian's headless Chromium through
chromium-driver and python3-selenium).

Builds the demo workspace with the given redline binary, serves it on a free loopback
port, and drives the page as a reviewer would: the zones on the map with their legend, a
zone's properties on click, the language switch, a polygon drawn by clicking inside a red
line, the check and its verdict, hits and rules compared with what the API answers for
the same footprint, an uploaded KML, a footprint outside the workspace, a bad upload's
error, and the PDF report downloaded by its button. Screenshots go to --out.

Exit 0: passed; 1: failed; 77: no Chromium, chromedriver or selenium on this machine.
"""
import argparse
import base64
import json
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

SKIP = 77
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CHROMIUM = '/usr/bin/chromium'
CHROMEDRIVER = '/usr/bin/chromedriver'

# The verdict words of core (model/rules.cpp verdict_label, reports/report.cpp): what a
# reviewer must read for each verdict code the API returns.
VERDICT_WORDS = {
    'zh': {'prohibited': '禁止', 'conditional': '有条件', 'allowed': '允许', 'clear': '未涉及', 'unchecked': '未核查'},
    'en': {'prohibited': 'prohibited', 'conditional': 'conditional', 'allowed': 'allowed', 'clear': 'clear',
           'unchecked': 'unchecked'},
}
DEMO_LAYERS = [('district', 'districts.geojson'), ('water_source', 'water_sources.geojson'),
               ('nature_reserve', 'nature_reserve.geojson'), ('red_line', 'red_lines.geojson'),
               ('control_unit', 'control_units.geojson')]
CJK = re.compile('[\u4e00-\u9fff]')


def skip(reason):
    print('SKIPPED: ' + reason, flush=True)
    sys.exit(SKIP)


def import_selenium():
    try:
        import selenium  # noqa: F401
    except ImportError:
        # A python3 of its own on PATH (pyenv, venv) does not see Debian's python3-selenium.
        system = '/usr/bin/python3'
        if (os.path.exists(system) and os.path.realpath(sys.executable) != os.path.realpath(system)
                and not os.environ.get('REDLINE_WEB_TEST_REEXEC')):
            os.environ['REDLINE_WEB_TEST_REEXEC'] = '1'
            os.execv(system, [system] + sys.argv)
        skip('python3-selenium is not installed (scripts/setup.sh --with-browser installs it)')


class Failure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failure(message)


def wait_for(what, predicate, timeout=20.0, interval=0.1):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except Exception as error:  # the page may be between states
            last = error
        time.sleep(interval)
    raise Failure('timed out waiting for %s (last: %r)' % (what, last))


# ---- the workspace and the server ---------------------------------------------------

def build_workspace(redline, directory):
    ws = os.path.join(directory, 'demo.gpkg')
    demo = os.path.join(REPO, 'layers', 'demo')
    for kind, name in DEMO_LAYERS:
        subprocess.run([redline, 'import', '--kind', kind, os.path.join(demo, name), '--into', ws],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
    # The city's general access list, as scripts/demo.sh imports it.
    subprocess.run([redline, 'access-list', 'import', ws, os.path.join(demo, 'access_lists.csv')],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120)
    return ws


class Server:
    """`redline serve --port 0` on loopback; the port from its start line."""

    def __init__(self, redline, ws, log_path, extra=()):
        self.lines = []
        self.log_path = log_path
        self.process = subprocess.Popen([redline, 'serve', '--zones', ws, '--port', '0'] + list(extra),
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, text=True, encoding='utf-8', errors='replace')
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.port = None
        deadline = time.monotonic() + 90
        while self.port is None:
            for line in list(self.lines):
                found = re.search(r'http://127\.0\.0\.1:(\d+)/', line)
                if found:
                    self.port = int(found.group(1))
            if self.process.poll() is not None:
                raise Failure('redline serve exited with %s:\n%s' % (self.process.returncode, ''.join(self.lines)))
            if time.monotonic() > deadline:
                raise Failure('redline serve printed no start line:\n' + ''.join(self.lines))
            time.sleep(0.05)
        self.base = 'http://127.0.0.1:%d' % self.port
        wait_for('the server to answer', lambda: http_get(self.base + '/'), timeout=30)

    def _read(self):
        for line in self.process.stderr:
            self.lines.append(line)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.reader.join(timeout=5)
        with open(self.log_path, 'w', encoding='utf-8') as log:
            log.write(''.join(self.lines))


def http_get(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def http_get_json(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def http_post(url, body, content_type):
    request = urllib.request.Request(url, data=body, method='POST', headers={'Content-Type': content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def api_check(base, feature, params):
    status, body = http_post(base + '/api/v1/check?' + urllib.parse.urlencode(params),
                             json.dumps(feature).encode('utf-8'), 'application/geo+json')
    return status, json.loads(body)


def api_upload(base, name, data, params, path='/api/v1/check'):
    boundary = uuid.uuid4().hex
    body = ('--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\n'
            'Content-Type: application/octet-stream\r\n\r\n' % (boundary, name)).encode('utf-8')
    body += data + ('\r\n--%s--\r\n' % boundary).encode('utf-8')
    status, answer = http_post(base + path + '?' + urllib.parse.urlencode(params), body,
                               'multipart/form-data; boundary=' + boundary)
    return status, json.loads(answer)


# ---- geometry for choosing where to click -------------------------------------------

def rings_of(geometry):
    if geometry['type'] == 'Polygon':
        return [geometry['coordinates']]
    if geometry['type'] == 'MultiPolygon':
        return geometry['coordinates']
    raise Failure('expected a polygon zone, got ' + geometry['type'])


def inside_ring(lon, lat, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def inside(lon, lat, geometry):
    return any(inside_ring(lon, lat, [tuple(p[:2]) for p in polygon[0]]) and
               not any(inside_ring(lon, lat, [tuple(p[:2]) for p in hole]) for hole in polygon[1:])
               for polygon in rings_of(geometry))


def boundary_distance(lon, lat, geometry):
    """Distance to the nearest edge, in degrees of latitude (longitude scaled)."""
    k = math.cos(math.radians(lat))
    best = float('inf')
    for polygon in rings_of(geometry):
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip([p[:2] for p in ring], [p[:2] for p in ring[1:]]):
                ax, ay, bx, by, px, py = x1 * k, y1, x2 * k, y2, lon * k, lat
                dx, dy = bx - ax, by - ay
                t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
                best = min(best, math.hypot(px - ax - t * dx, py - ay - t * dy))
    return best


def deep_point(geometry):
    """A point well inside the zone: the grid point farthest from its boundary."""
    xs = [p[0] for polygon in rings_of(geometry) for p in polygon[0]]
    ys = [p[1] for polygon in rings_of(geometry) for p in polygon[0]]
    best = None
    for i in range(1, 40):
        for j in range(1, 40):
            lon = min(xs) + (max(xs) - min(xs)) * i / 40
            lat = min(ys) + (max(ys) - min(ys)) * j / 40
            if inside(lon, lat, geometry):
                d = boundary_distance(lon, lat, geometry)
                if best is None or d > best[2]:
                    best = (lon, lat, d)
    check(best is not None, 'no point found inside the zone')
    return best


def square_inside(geometry):
    lon, lat, d = deep_point(geometry)
    h = d * 0.35
    k = math.cos(math.radians(lat))
    corners = [(lon - h / k, lat - h), (lon + h / k, lat - h), (lon + h / k, lat + h), (lon - h / k, lat + h)]
    check(all(inside(x, y, geometry) for x, y in corners), 'the square chosen is not inside the zone')
    return (lon, lat), corners


# ---- the browsers ----------------------------------------------------------------------
# One interface over two drivers: Selenium with chromedriver for Chromium, and Firefox's own
# Marionette protocol (Debian ships no geckodriver), spoken by the small client below.

class Page:
    """What the test does with a page; the drivers implement the primitives."""

    name = ''

    def __init__(self, out):
        self.out = out

    def texts(self, selector):
        return self.js('return Array.from(document.querySelectorAll(arguments[0])).map((e) => e.textContent.trim());',
                       selector)

    def text(self, element_id):
        return self.js('return document.getElementById(arguments[0]).innerText;', element_id)

    def count(self, selector):
        return self.js('return document.querySelectorAll(arguments[0]).length;', selector)

    def select(self, element_id, value):
        # What choosing an option does: the value, then the change event.
        self.js("const s = document.getElementById(arguments[0]); s.value = arguments[1];"
                "s.dispatchEvent(new Event('change', {bubbles: true}));", element_id, value)
        check(self.js('return document.getElementById(arguments[0]).value;', element_id) == value,
              '%s has no option %s' % (element_id, value))

    def screenshot(self, name):
        path = os.path.join(self.out, self.name + name)
        self.save_screenshot(path)
        print('screenshot: ' + path, flush=True)

    def screenshot_whole_panel(self, name):
        """The window as tall as the side panel's content, to see a whole result at once."""
        width, height = self.window_size()
        extra = self.js("const p = document.querySelector('.rl-panel'); return p.scrollHeight - p.clientHeight;")
        self.set_window_size(width, height + max(0, extra) + 20)
        time.sleep(0.4)
        self.screenshot(name)
        self.set_window_size(width, height)
        time.sleep(0.4)

    def zones_settled(self):
        """After a move: the zones of the new view are loaded (status no longer 'loading')."""
        time.sleep(0.4)   # the page waits 200 ms after moveend before it loads
        wait_for('the zones of the view', lambda: self.js(
            "const s = document.getElementById('map-status').textContent;"
            "return s && !/加载|Loading/.test(s) && document.getElementById('map').hasAttribute('data-zones-loaded');"))

    def fit(self, lon_lat_pairs):
        self.js('redlineMap.fitBounds(arguments[0].map((p) => [p[1], p[0]]), {padding: [80, 80], animate: false});',
                lon_lat_pairs)
        self.zones_settled()

    def viewport_point(self, lon, lat):
        x, y = self.js("const p = redlineMap.latLngToContainerPoint([arguments[1], arguments[0]]);"
                       "const r = document.getElementById('map').getBoundingClientRect();"
                       "return [r.left + p.x, r.top + p.y];", lon, lat)
        return int(round(x)), int(round(y))

    def click_map(self, lon, lat, double=False):
        self.pointer_clicks(*self.viewport_point(lon, lat), 2 if double else 1)

    def run_check(self):
        self.click('run-check')
        return self.outcome()

    def outcome(self):
        return wait_for('the check\'s answer', lambda: self.js(
            "if (redlineApp.busy()) return null;"
            "if (document.getElementById('verdict')) return 'result';"
            "if (!document.getElementById('error').hidden) return 'error';"
            "return null;"), timeout=60)

    def set_language(self, lang):
        self.click('lang-' + lang)
        wait_for('the page in ' + lang, lambda: self.js('return document.documentElement.lang;').startswith(lang))
        wait_for('the answer again in ' + lang, lambda: not self.js('return redlineApp.busy();'), timeout=60)


class ChromiumPage(Page):
    name = ''

    def __init__(self, out, download_dir):
        super().__init__(out)
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ('--headless=new', '--no-sandbox', '--disable-gpu', '--window-size=1400,900',
                         '--lang=zh-CN', '--disable-dev-shm-usage'):
            options.add_argument(argument)
        options.add_experimental_option('prefs', {'download.default_directory': download_dir,
                                                  'download.prompt_for_download': False})
        options.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
        self.d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.d.execute_cdp_cmd('Browser.setDownloadBehavior', {'behavior': 'allow', 'downloadPath': download_dir})
        self.d.set_script_timeout(30)

    def open(self, url):
        self.d.get(url)

    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def element(self, element_id):
        from selenium.webdriver.common.by import By
        return self.d.find_element(By.ID, element_id)

    def click(self, element_id):
        self.element(element_id).click()

    def type(self, element_id, text):
        self.element(element_id).send_keys(text)

    def upload(self, element_id, path):
        self.element(element_id).send_keys(path)

    def pointer_clicks(self, x, y, clicks):
        from selenium.webdriver.common.actions.action_builder import ActionBuilder
        builder = ActionBuilder(self.d)
        builder.pointer_action.move_to_location(x, y)
        for _ in range(clicks):
            builder.pointer_action.click()
        builder.perform()

    def console_errors(self, ignore=()):
        return [e for e in self.d.get_log('browser') if e['level'] == 'SEVERE'
                and not any(text in e['message'] for text in ignore)]

    def save_screenshot(self, path):
        self.d.save_screenshot(path)

    def window_size(self):
        size = self.d.get_window_size()
        return size['width'], size['height']

    def set_window_size(self, width, height):
        self.d.set_window_size(width, height)

    def quit(self):
        self.d.quit()


class Marionette:
    """Firefox's remote protocol: JSON messages prefixed by their length."""

    def __init__(self, port, process):
        deadline = time.monotonic() + 60
        while True:
            try:
                self.sock = socket.create_connection(('127.0.0.1', port), timeout=90)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise Failure('Firefox did not open Marionette on port %d' % port)
                time.sleep(0.1)
        self.buffer = b''
        self.serial = 0
        self._receive()   # the greeting

    def _receive(self):
        while b':' not in self.buffer:
            self._fill()
        size, rest = self.buffer.split(b':', 1)
        self.buffer = rest
        while len(self.buffer) < int(size):
            self._fill()
        message, self.buffer = self.buffer[:int(size)], self.buffer[int(size):]
        return json.loads(message)

    def _fill(self):
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise Failure('Firefox closed Marionette')
        self.buffer += chunk

    def command(self, name, parameters=None):
        self.serial += 1
        message = json.dumps([0, self.serial, name, parameters or {}]).encode('utf-8')
        self.sock.sendall(str(len(message)).encode('ascii') + b':' + message)
        while True:
            reply = self._receive()
            if reply[0] == 1 and reply[1] == self.serial:
                break
        if reply[2]:
            raise Failure('Firefox: %s failed: %s' % (name, reply[2]))
        return reply[3]


class FirefoxPage(Page):
    name = 'firefox-'
    ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'

    def __init__(self, out, binary, download_dir, work):
        super().__init__(out)
        profile = tempfile.mkdtemp(prefix='firefox-', dir=work)
        with socket.socket() as probe:
            probe.bind(('127.0.0.1', 0))
            port = probe.getsockname()[1]
        prefs = {'marionette.port': port, 'browser.download.folderList': 2, 'browser.download.dir': download_dir,
                 'browser.download.useDownloadDir': True, 'browser.download.always_ask_before_handling_new_types': False,
                 'pdfjs.disabled': True, 'intl.accept_languages': 'zh-CN, zh',
                 'browser.shell.checkDefaultBrowser': False, 'datareporting.policy.dataSubmissionEnabled': False,
                 'app.update.enabled': False, 'network.proxy.type': 0}
        with open(os.path.join(profile, 'user.js'), 'w') as f:
            for key, value in prefs.items():
                f.write('user_pref(%s, %s);\n' % (json.dumps(key), json.dumps(value)))
        self.process = subprocess.Popen([binary, '--headless', '--marionette', '--no-remote', '--profile', profile],
                                        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.m = Marionette(port, self.process)
        self.m.command('WebDriver:NewSession', {'capabilities': {'alwaysMatch': {'acceptInsecureCerts': False}}})
        self.set_window_size(1400, 900)

    def open(self, url):
        self.m.command('WebDriver:Navigate', {'url': url})

    def js(self, script, *args):
        return self.m.command('WebDriver:ExecuteScript', {'script': script, 'args': list(args)})['value']

    def element(self, element_id):
        found = self.m.command('WebDriver:FindElement', {'using': 'css selector', 'value': '#' + element_id})
        return found['value'][self.ELEMENT]

    def click(self, element_id):
        self.m.command('WebDriver:ElementClick', {'id': self.element(element_id)})

    def type(self, element_id, text):
        self.m.command('WebDriver:ElementSendKeys', {'id': self.element(element_id), 'text': text})

    def upload(self, element_id, path):
        self.type(element_id, path)

    def pointer_clicks(self, x, y, clicks):
        steps = [{'type': 'pointerMove', 'x': x, 'y': y, 'origin': 'viewport', 'duration': 0}]
        for _ in range(clicks):
            steps += [{'type': 'pointerDown', 'button': 0}, {'type': 'pointerUp', 'button': 0}]
        self.m.command('WebDriver:PerformActions', {'actions': [
            {'type': 'pointer', 'id': 'mouse', 'parameters': {'pointerType': 'mouse'}, 'actions': steps}]})
        self.m.command('WebDriver:ReleaseActions')

    def console_errors(self, ignore=()):
        return []   # Marionette does not hand out the console; Chromium's run reads it

    def save_screenshot(self, path):
        shot = self.m.command('WebDriver:TakeScreenshot', {'full': False})['value']
        with open(path, 'wb') as f:
            f.write(base64.b64decode(shot))

    def window_size(self):
        rect = self.m.command('WebDriver:GetWindowRect')
        return rect['width'], rect['height']

    def set_window_size(self, width, height):
        self.m.command('WebDriver:SetWindowRect', {'width': width, 'height': height})

    def quit(self):
        try:
            self.m.command('Marionette:Quit')
        except Exception:
            pass
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def verdict_shown(page):
    return page.js("const v = document.getElementById('verdict');"
                   "return v && [v.getAttribute('data-verdict'), v.querySelector('.rl-verdict-value').textContent];")


def hits_shown(page):
    return page.js("return Array.from(document.querySelectorAll('#result .rl-hit')).map((h) => "
                   "[h.getAttribute('data-kind'), h.getAttribute('data-zone'), h.querySelector('.rl-zone-name').textContent]);")


def expect_result(page, answer, lang, what):
    """The page shows the API's answer: verdict, every hit, every rule with its basis."""
    footprints = answer['footprints']
    # What the page got is what the API gives for the same footprint and facts: so the page
    # sent the facts chosen in the form, and the footprint drawn or uploaded.
    got = page.js('return redlineApp.result();')
    check(got is not None and got['footprints'] == footprints,
          '%s: the page\'s answer differs from the API\'s for the same request:\n%s\n%s' %
          (what, json.dumps(got and got['footprints'], ensure_ascii=False)[:2000],
           json.dumps(footprints, ensure_ascii=False)[:2000]))
    check(len(footprints) == 1, '%s: expected one footprint from the API, got %d' % (what, len(footprints)))
    expected = 'unchecked' if footprints[0]['status'] == 'unchecked' else footprints[0]['verdict']
    shown = verdict_shown(page)
    check(shown == [expected, VERDICT_WORDS[lang][expected]],
          '%s: verdict shown %r, the API says %r (%s)' % (what, shown, expected, VERDICT_WORDS[lang][expected]))
    expected_hits = sorted((h['kind'], h['zone_id'], h['zone_name']) for h in footprints[0]['hits'])
    check(sorted(tuple(h) for h in hits_shown(page)) == expected_hits,
          '%s: hits shown %r, the API gives %r' % (what, hits_shown(page), expected_hits))
    for hit in footprints[0]['hits']:
        for rule in hit['rules']:
            shown_rule = page.js(
                "const hit = Array.from(document.querySelectorAll('#result .rl-hit')).find((h) => "
                "h.getAttribute('data-kind') === arguments[0] && h.getAttribute('data-zone') === arguments[1]);"
                "const r = hit && Array.from(hit.querySelectorAll('.rl-rule')).find((x) => x.getAttribute('data-rule') === arguments[2]);"
                "return r ? r.textContent : null;", hit['kind'], hit['zone_id'], rule['id'])
            check(shown_rule is not None, '%s: rule %s of %s not shown' % (what, rule['id'], hit['zone_id']))
            for text in (rule['message'], rule['basis'], rule['requires']):
                check(text in shown_rule, '%s: rule %s lacks %r' % (what, rule['id'], text))
        for entry in hit['access_list']:
            check(entry['text'] in page.js("return document.getElementById('result').textContent;"),
                  '%s: access list entry %r of %s not shown' % (what, entry['label'], hit['zone_id']))
    return expected


# ---- the test ---------------------------------------------------------------------------

def run(page, server, work, downloads):
    base = server.base
    steps = []
    collections = http_get_json(base + '/ogc/collections')['collections']
    service = http_get_json(base + '/api/v1')
    kinds = [c['id'] for c in collections]
    names = {k['id']: k for k in service['kinds']}

    # 1. The page with the zones of every kind, each in its pane, with a legend.
    page.open(base + '/')
    page.zones_settled()
    check(page.js('return document.documentElement.lang;') == 'zh-CN', 'the page is not Chinese first')
    check(CJK.search(page.text('run-check')), 'the check button is not in Chinese')
    strokes = {}
    for kind in kinds:
        paths = page.count('.leaflet-rl-kind-%s-pane path' % kind)
        check(paths > 0, 'no zone of kind %s is drawn' % kind)
        strokes[kind] = page.js("return document.querySelector('.leaflet-rl-kind-' + arguments[0] + '-pane path')"
                                ".getAttribute('stroke');", kind)
    check(len(set(strokes.values())) == len(kinds), 'kinds share a colour: %r' % strokes)
    legend = page.texts('.rl-legend li[data-kind]')
    check(sorted(legend) == sorted(names[k]['name'] for k in kinds), 'legend %r does not name every kind' % legend)
    bad_logs = page.console_errors()
    check(not bad_logs, 'the browser console has errors: %r' % bad_logs)
    page.screenshot('page-zones.png')
    check(page.run_check() == 'error' and page.js("return document.getElementById('error').getAttribute('data-code');")
          == 'check.need_footprint', 'checking without a footprint does not ask for one')
    steps.append('zones and legend')

    # 2. The language switch, and back.
    page.set_language('en')
    check(not CJK.search(page.text('run-check')), 'the check button is still Chinese in English mode')
    legend = page.texts('.rl-legend li[data-kind]')
    check(sorted(legend) == sorted(names[k]['name_en'] for k in kinds), 'English legend %r' % legend)
    check(not CJK.search(page.js("return document.querySelector('.rl-step h2').textContent;")),
          'step titles are still Chinese in English mode')
    page.set_language('zh')
    check(CJK.search(page.text('run-check')), 'the check button is not Chinese again')
    steps.append('language switch')

    # 3. A red line on the map: its properties on click.
    red_lines = http_get_json(base + '/ogc/collections/red_line/items?limit=100')['features']
    zone = max(red_lines, key=lambda f: f['properties']['area_m2'])
    (lon, lat), square = square_inside(zone['geometry'])
    page.fit(square + [(lon + 0.01, lat + 0.01), (lon - 0.01, lat - 0.01)])
    page.click_map(lon, lat)
    popup = wait_for('the zone popup', lambda: page.js(
        "const p = document.querySelector('.leaflet-popup-content .rl-popup'); return p && p.textContent;"))
    check(zone['properties']['name'] in popup and names['red_line']['name'] in popup and zone['id'] in popup,
          'the popup %r does not give the zone\'s name, kind and id' % popup)
    page.js('redlineMap.closePopup();')
    wait_for('the popup to go', lambda: page.count('.leaflet-popup') == 0)
    steps.append('zone properties')

    # 4. A line finished by its button, a point, then a polygon drawn inside that red line
    # (finished by a double-click), the facts set, the check.
    page.click('draw-line')
    for corner in square[:3]:
        page.click_map(*corner)
    page.click('draw-finish')
    line = wait_for('the drawn line', lambda: page.js('return redlineApp.footprint();'))
    check(line['geometry']['type'] == 'LineString' and len(line['geometry']['coordinates']) == 3,
          'the drawn line is not the 3 points clicked: %r' % line)
    page.click('draw-point')
    page.click_map(lon, lat)
    point = wait_for('the drawn point', lambda: page.js(
        "const f = redlineApp.footprint(); return f && f.geometry.type === 'Point' && f;"))
    check(abs(point['geometry']['coordinates'][0] - lon) < 1e-4 and abs(point['geometry']['coordinates'][1] - lat) < 1e-4,
          'the point is not where it was clicked: %r' % point)
    page.type('fact-name', '测试地块')
    page.select('fact-activity', 'construction')
    page.select('fact-discharges', 'no')
    page.click('draw-polygon')
    for corner in square[:-1]:
        page.click_map(*corner)
    page.click_map(*square[-1], double=True)
    footprint = wait_for('the drawn polygon', lambda: page.js('return redlineApp.footprint();'))
    ring = footprint['geometry']['coordinates'][0]
    check(footprint['geometry']['type'] == 'Polygon' and len(ring) == 5,
          'the drawn footprint is not the 4-vertex polygon clicked: %r' % footprint)
    for (x, y), (ex, ey) in zip(ring, square):
        check(abs(x - ex) < 1e-4 and abs(y - ey) < 1e-4, 'vertex %r is not where it was clicked (%r)' % ((x, y), (ex, ey)))
    check(page.count('.leaflet-rl-footprint-pane path') == 1, 'the drawn polygon is not on the map')
    check(page.run_check() == 'result', 'the check of the drawn polygon gave no result: %s' %
          page.text('error'))
    params = {'activity': 'construction', 'discharges': 'no', 'lang': 'zh'}
    status, answer = api_check(base, footprint, params)
    check(status == 200, 'the API answered %d for the drawn footprint' % status)
    expect_result(page, answer, 'zh', 'drawn polygon')
    check(any(h[1] == zone['id'] for h in hits_shown(page)), 'the red line drawn in is not listed')
    check('测试地块' in page.text('result'), 'the project name is not in the result')
    wait_for('the hit zones outlined on the map', lambda: page.count('.leaflet-rl-highlight-pane path') > 0)
    page.screenshot('page-result.png')
    page.screenshot_whole_panel('page-result-full.png')

    # The same result in English: the API's own English texts.
    page.set_language('en')
    status, answer_en = api_check(base, footprint, dict(params, lang='en'))
    expect_result(page, answer_en, 'en', 'drawn polygon in English')
    page.screenshot('page-result-en.png')
    page.set_language('zh')
    expect_result(page, answer, 'zh', 'drawn polygon in Chinese again')
    steps.append('drawn polygon checked')

    # 5. The PDF report, by its button.
    page.click('download-pdf')
    pdf = os.path.join(downloads, 'redline-report.pdf')
    wait_for('the PDF download', lambda: os.path.exists(pdf) and not any(
        n.endswith(('.crdownload', '.part')) for n in os.listdir(downloads)) and os.path.getsize(pdf) > 1000, timeout=60)
    with open(pdf, 'rb') as f:
        check(f.read(5) == b'%PDF-', 'the download is not a PDF')
    steps.append('PDF report')

    # 6. An uploaded KML inside a drinking-water source zone.
    sources = http_get_json(base + '/ogc/collections/water_source/items?limit=100')['features']
    water = min(sources, key=lambda f: f['properties']['area_m2'])
    _, kml_square = square_inside(water['geometry'])
    coordinates = ' '.join('%.7f,%.7f,0' % p for p in kml_square + kml_square[:1])
    kml = ('<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
           '<Placemark><name>上传地块</name><Polygon><outerBoundaryIs><LinearRing><coordinates>%s'
           '</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark></Document></kml>\n' % coordinates)
    kml_path = os.path.join(work, 'site.kml')
    with open(kml_path, 'w', encoding='utf-8') as f:
        f.write(kml)
    page.upload('upload', kml_path)
    wait_for('the file as the footprint', lambda: 'site.kml' in page.text('source-status'))
    # The server reads the file back as GeoJSON: the KML is drawn, and only it.
    wait_for('the KML drawn before the check', lambda: page.count('.leaflet-rl-footprint-pane path') == 1 and page.js(
        "return redlineMap.getBounds().contains([arguments[1], arguments[0]]);", *kml_square[0]))
    check(page.run_check() == 'result', 'the upload gave no result: %s' % page.text('error'))
    status, answer = api_upload(base, 'site.kml', kml.encode('utf-8'), params)
    check(status == 200, 'the API answered %d for the KML' % status)
    expect_result(page, answer, 'zh', 'uploaded KML')
    check(any(h[1] == water['id'] for h in hits_shown(page)), 'the water source zone is not listed for the KML')
    wait_for('the KML\'s hits in view', lambda: page.js(
        "return redlineMap.getBounds().contains([arguments[1], arguments[0]]);", *kml_square[0]))
    page.zones_settled()
    page.screenshot('page-upload.png')
    steps.append('uploaded KML checked')

    # 6b. A land-survey TXT (Gauss-Krüger zone 41), which the browser cannot read itself:
    # drawn where the server's reading puts it.
    survey = ('[属性描述]\n坐标系=2000国家大地坐标系\n几度分带=3\n投影类型=高斯克吕格\n计量单位=米\n带号=41\n'
              '[地块坐标]\n5,0.24,1,上传地块,面,,,,@\nJ1,1,4324859.000,41387462.000\nJ2,1,4324859.000,41387903.000\n'
              'J3,1,4325408.000,41387903.000\nJ4,1,4325408.000,41387462.000\nJ1,1,4324859.000,41387462.000\n')
    survey_path = os.path.join(work, '地块坐标.txt')
    with open(survey_path, 'w', encoding='utf-8') as f:
        f.write(survey)
    status, read_back = api_upload(base, '地块坐标.txt', survey.encode('utf-8'), {}, '/api/v1/footprints')
    check(status == 200 and len(read_back['features']) == 1, 'the API did not read the TXT back (%d)' % status)
    corner = read_back['features'][0]['geometry']['coordinates'][0][0]
    page.upload('upload', survey_path)
    wait_for('the TXT drawn before the check', lambda: page.count('.leaflet-rl-footprint-pane path') == 1 and page.js(
        "return redlineMap.getBounds().contains([arguments[1], arguments[0]]);", *corner))
    check(page.run_check() == 'result', 'the TXT gave no result: %s' % page.text('error'))
    page.zones_settled()
    page.screenshot('page-upload-txt.png')
    steps.append('uploaded TXT drawn and checked')

    # 6c. A decision by clause: a new organic-chemicals plant (C2614, from the file's 行业 and
    # 建设性质) in the port industrial park's key unit, prohibited by the unit's list.
    plant_path = os.path.join(REPO, 'layers', 'demo', 'chemical_plant.geojson')
    page.upload('upload', plant_path)
    wait_for('the plant drawn before the check', lambda: page.count('.leaflet-rl-footprint-pane path') == 1)
    check(page.run_check() == 'result', 'the plant gave no result: %s' % page.text('error'))
    with open(plant_path, 'rb') as f:
        status, answer = api_upload(base, 'chemical_plant.geojson', f.read(), params)
    check(status == 200, 'the API answered %d for the plant' % status)
    expect_result(page, answer, 'zh', 'chemical plant')
    check(verdict_shown(page)[0] == 'prohibited', 'the plant is not shown prohibited')
    box = page.texts('#result .rl-conformity')
    check(len(box) == 1 and '准入清单相符性分析' in box[0] and '决定条款' in box[0] and
          '禁止新建、扩建化工、电镀、印染等重污染项目' in box[0],
          'the conformity box does not name the deciding clause: %r' % box)
    page.js("document.querySelector('#result .rl-conformity details').open = true;")
    rows = page.count('#result .rl-conformity-table tbody tr')
    unit = [h for h in answer['footprints'][0]['hits'] if h.get('access')][0]
    check(rows == len(unit['access']['clauses']), 'the page lists %d clauses, the API %d' %
          (rows, len(unit['access']['clauses'])))
    check(page.count('#result tr.rl-c-violates') == unit['access']['counts']['violates'],
          'the violated clauses are not marked')
    page.screenshot_whole_panel('page-by-clause.png')
    steps.append('decision by clause shown')

    # 7. A footprint outside the workspace: not a clear, but unchecked with the reason.
    outside = {'type': 'FeatureCollection', 'features': [
        {'type': 'Feature', 'properties': {'name': '区外地块'},
         'geometry': {'type': 'Point', 'coordinates': [105.0, 30.0]}}]}
    outside_path = os.path.join(work, 'outside.geojson')
    with open(outside_path, 'w', encoding='utf-8') as f:
        json.dump(outside, f, ensure_ascii=False)
    page.upload('upload', outside_path)
    wait_for('the GeoJSON drawn before the check', lambda: page.count('.leaflet-rl-footprint-pane path') == 1)
    check(page.run_check() == 'result', 'the footprint outside gave no result: %s' % page.text('error'))
    status, answer = api_upload(base, 'outside.geojson', json.dumps(outside).encode('utf-8'), params)
    check(status == 200 and answer['footprints'][0]['status'] == 'unchecked',
          'the API no longer answers unchecked outside the workspace (%d)' % status)
    expect_result(page, answer, 'zh', 'footprint outside the workspace')
    check(answer['footprints'][0]['unchecked_reason']['text'] in page.text('result'),
          'the reason it was not checked is not shown')
    steps.append('outside the workspace')

    # 8. Nothing usable in the input (422 with the check's JSON): its problems, as the API words them.
    abroad = {'type': 'Feature', 'properties': {}, 'geometry': {'type': 'Point', 'coordinates': [10.0, 50.0]}}
    abroad_path = os.path.join(work, 'abroad.geojson')
    with open(abroad_path, 'w', encoding='utf-8') as f:
        json.dump(abroad, f)
    page.upload('upload', abroad_path)
    wait_for('the file abroad as the footprint', lambda: 'abroad.geojson' in page.text('source-status'))
    check(page.run_check() == 'error', 'a footprint outside China did not show an error')
    status, answer = api_upload(base, 'abroad.geojson', json.dumps(abroad).encode('utf-8'), params)
    check(status == 422 and answer['problems'], 'the API no longer refuses a footprint outside China (%d)' % status)
    shown = page.text('error')
    for problem in answer['problems']:
        check(problem['message']['text'] in shown, 'problem %r not shown in %r' % (problem['message']['text'], shown))
    steps.append('unusable input\'s problems shown')

    # 9. A bad upload: the API's error, readable, in either language.
    broken_path = os.path.join(work, 'broken.kml')
    with open(broken_path, 'w', encoding='utf-8') as f:
        f.write('这不是 KML\n')
    page.upload('upload', broken_path)
    wait_for('the broken file as the footprint', lambda: 'broken.kml' in page.text('source-status'))
    check(page.run_check() == 'error', 'the broken KML did not show an error')
    status, answer = api_upload(base, 'broken.kml', '这不是 KML\n'.encode('utf-8'), params)
    check(status >= 400 and 'error' in answer, 'the API accepted the broken KML (%d)' % status)
    shown = page.js("return document.querySelector('#error .rl-error-message').textContent;")
    check(shown == answer['error']['message'], 'error shown %r, the API says %r' % (shown, answer['error']['message']))
    check(page.text('result') == '', 'an old result is still shown beside the error')
    page.screenshot('page-error.png')
    page.set_language('en')
    shown = page.js("return document.querySelector('#error .rl-error-message').textContent;")
    check(shown == answer['error']['message_en'], 'English error shown %r, the API says %r' %
          (shown, answer['error']['message_en']))
    page.set_language('zh')
    steps.append('API error shown')

    bad_logs = page.console_errors(ignore=('the server responded with a status of 422',))
    check(not bad_logs, 'the browser console has errors: %r' % bad_logs)
    return steps


def run_with_token(page, server, token):
    """A server that asks a token of every API and OGC request: the page asks for it."""
    request = urllib.request.Request(server.base + '/api/v1')
    try:
        urllib.request.urlopen(request, timeout=30)
        raise Failure('the server with --tokens-for-everything answered without a token')
    except urllib.error.HTTPError as error:
        refusal = json.loads(error.read())['error']
    page.open(server.base + '/')
    wait_for('the token form', lambda: page.js("return !document.getElementById('token-form').hidden;"))
    check(page.text('token-reason') == refusal['message'],
          'the token form says %r, the server %r' % (page.text('token-reason'), refusal['message']))
    page.type('token-input', 'rl_' + '0' * 64)
    page.click('token-submit')
    wait_for('the wrong token refused', lambda: page.js(
        "return !document.getElementById('token-form').hidden && document.getElementById('token-reason').textContent;"))
    page.screenshot('page-token.png')
    page.type('token-input', token)
    page.click('token-submit')
    page.zones_settled()
    check(page.js("return document.getElementById('token-form').hidden;"), 'the token form stays after a good token')
    check(page.count('.leaflet-rl-kind-red_line-pane path') > 0, 'no zones drawn with the token')
    page.click('draw-point')
    centre = page.js('const c = redlineMap.getCenter(); return [c.lng, c.lat];')
    page.click_map(*centre)
    check(page.run_check() == 'result', 'the check with the token gave no result: %s' % page.text('error'))
    return ['token asked for and used']


def firefox_binary():
    for name in ('firefox-esr', 'firefox'):
        path = shutil.which(name)
        if path:
            return path
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--redline', required=True, help='the redline binary')
    parser.add_argument('--out', required=True, help='where screenshots and the server log go')
    parser.add_argument('--no-firefox', action='store_true', help='Chromium only, even where Firefox is installed')
    args = parser.parse_args()

    import_selenium()
    for program, package in ((CHROMIUM, 'chromium'), (CHROMEDRIVER, 'chromium-driver')):
        if not os.access(program, os.X_OK):
            skip('%s is missing (apt-get install %s, or scripts/setup.sh --with-browser)' % (program, package))
    firefox = None if args.no_firefox else firefox_binary()

    os.makedirs(args.out, exist_ok=True)
    for name in os.listdir(args.out):
        if name.endswith('.png'):
            os.remove(os.path.join(args.out, name))
    started = time.monotonic()
    work = tempfile.mkdtemp(prefix='redline-web-')
    server = None
    guarded = None
    page = None
    passed = []
    try:
        ws = build_workspace(args.redline, work)
        server = Server(args.redline, ws, os.path.join(args.out, 'serve.log'))
        tokens = os.path.join(work, 'tokens')
        token = subprocess.run([args.redline, 'token', 'add', 'web-test', '--file', tokens], check=True,
                               capture_output=True, text=True, timeout=30).stdout.strip()
        check(re.fullmatch(r'rl_[0-9a-f]{64}', token), 'redline token add printed %r' % token)
        guarded = Server(args.redline, ws, os.path.join(args.out, 'serve-tokens.log'),
                         ['--tokens', tokens, '--tokens-for-everything'])
        browsers = [('Chromium', lambda downloads: ChromiumPage(args.out, downloads))]
        if firefox:
            browsers.append(('Firefox', lambda downloads: FirefoxPage(args.out, firefox, downloads, work)))
        for browser, make in browsers:
            downloads = os.path.join(work, 'downloads-' + browser.lower())
            os.makedirs(downloads)
            page = make(downloads)
            try:
                steps = run(page, server, work, downloads) + run_with_token(page, guarded, token)
                for step in steps:
                    passed.append('%s: %s' % (browser, step))
                    print('ok: %s: %s' % (browser, step), flush=True)
            except Failure as failure:
                try:
                    page.screenshot('failure.png')
                except Exception:  # the browser itself may be what failed
                    pass
                raise Failure('%s: %s' % (browser, failure))
            finally:
                page.quit()
                page = None
    except Failure as failure:
        print('FAILED: %s' % failure, flush=True)
        print('web page: %d passed, 1 failed' % len(passed), flush=True)
        return 1
    finally:
        if page is not None:
            page.quit()
        for running in (server, guarded):
            if running is not None:
                running.stop()
        shutil.rmtree(work, ignore_errors=True)
    if not firefox:
        print('Firefox is not installed (apt-get install firefox-esr): ran in Chromium only', flush=True)
    print('web page: %d passed, 0 failed (%.1f s)' % (len(passed), time.monotonic() - started), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
