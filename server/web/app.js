// The screening page: zones from the server's OGC API - Features on a Leaflet map (no base
// map: the service runs offline), a footprint drawn or uploaded, the facts of the activity,
// and the answer of POST /api/v1/check shown as a reviewer reads it. Plain ES2017, no build
// step. API texts are only ever set as textContent.
'use strict';

(function () {
  const TEXTS = window.RedlineI18n;

  // How each kind is drawn: layers/<kind>/style.toml (the viewer's and the reports'
  // colours), except protected_area and marine_area, which share a colour there with
  // nature_reserve and coastal_function_zone and are given their own here.
  const KIND_STYLES = {
    district: { order: 0, fill: '#000000', fillOpacity: 0, stroke: '#6b6b6b', weight: 1, dash: '4 3' },
    control_unit: { order: 1, fill: '#8C4DB3', fillOpacity: 0.05, stroke: '#733399', weight: 1, dash: '6 3',
                    subzones: { priority: 0.12 } },
    coastal_function_zone: { order: 2, fill: '#009999', fillOpacity: 0.18, stroke: '#007373', weight: 1.2 },
    marine_area: { order: 2, fill: '#2F7FA8', fillOpacity: 0.18, stroke: '#1D5C7D', weight: 1.2 },
    nature_reserve: { order: 3, fill: '#218C40', fillOpacity: 0.16, stroke: '#0D6626', weight: 1.2,
                      subzones: { core_protection: 0.45, core: 0.45, buffer: 0.3 } },
    protected_area: { order: 3, fill: '#7A8C21', fillOpacity: 0.16, stroke: '#566612', weight: 1.2,
                      subzones: { core_protection: 0.45 } },
    water_source: { order: 4, fill: '#1F66D9', fillOpacity: 0.14, stroke: '#0D40A6', weight: 1.2,
                    subzones: { level1: 0.5, level2: 0.3 } },
    red_line: { order: 5, fill: '#DB2626', fillOpacity: 0.28, stroke: '#B30D0D', weight: 1.2 },
    coastline: { order: 6, fill: '#000000', fillOpacity: 0, stroke: '#008CB3', weight: 2.4 }
  };
  // Kinds added under layers/ that this page does not know yet.
  const SPARE_COLOURS = ['#C2571A', '#8A6D3B', '#3B6E8A', '#A33B74', '#4F7F5A'];

  // The fact vocabulary of layers/facts.toml (the API does not describe it).
  const VOCABULARY = {
    activity: ['construction', 'linear', 'outfall-new', 'outfall-existing'],
    industry: ['chemical', 'petrochemical', 'pharmaceutical', 'dyeing', 'tanning', 'electroplating',
               'papermaking', 'smelting', 'water-supply', 'water-protection', 'other'],
    outfall_type: ['industrial', 'municipal-sewage', 'agricultural', 'other'],
    receiving_water: ['river', 'sea'],
    scale: ['new', 'expansion', 'reconstruction'],
    bool: ['yes', 'no']
  };

  const VERDICT_RANK = { clear: 0, allowed: 1, unchecked: 2, conditional: 3, prohibited: 4 };
  const STANDARD_PROPERTIES = ['kind', 'zone_id', 'code', 'name', 'subzone', 'area_m2', 'length_m', 'version'];
  const PAGE_LIMIT = 500;   // zones per OGC page
  const SEEN_ZONES = 5000;  // zones kept after they leave the view (about what one view holds)
  const MAX_PAGES = 4;      // per kind and view: beyond that the status line asks to zoom in

  const state = {
    lang: 'zh',
    service: null,          // GET /api/v1
    kinds: [],              // {id, name, name_en, extent, style, visible, group, layers: Map}
    source: null,           // {type: 'drawn', geometry} or {type: 'file', file}
    outcome: null,          // what the result panel shows, to redraw it in another language
    result: null,           // the last check JSON
    busy: false,
    serviceFailed: false,
    token: null,            // an API token, when the server asks one of every request
    tokenError: null,       // the 401 that asked for it
    requestSeq: 0,
    loadController: null,
    mapStatus: null,        // {key, args} or null
    seenZones: new Map()    // "kind\u0000id" -> zone, the last SEEN_ZONES loaded, to outline hits
  };

  // ---- small helpers -------------------------------------------------------------

  function t(key, args) {
    const table = TEXTS[state.lang] || TEXTS.zh;
    let text = Object.prototype.hasOwnProperty.call(table, key) ? table[key] : TEXTS.zh[key];
    if (text === undefined) {
      return key;
    }
    if (args) {
      text = text.replace(/\{(\w+)\}/g, (whole, name) => (args[name] === undefined ? whole : String(args[name])));
    }
    return text;
  }

  function has(key) {
    return Object.prototype.hasOwnProperty.call(TEXTS[state.lang], key);
  }

  // An element with attributes and children; strings become text nodes, never markup.
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const name of Object.keys(attrs)) {
        const value = attrs[name];
        if (value === null || value === undefined || value === false) {
          continue;
        }
        if (name === 'text') {
          node.textContent = value;
        } else if (name === 'className') {
          node.className = value;
        } else {
          node.setAttribute(name, value === true ? '' : value);
        }
      }
    }
    for (const child of [].concat(children || [])) {
      if (child === null || child === undefined || child === false) {
        continue;
      }
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function $(id) {
    return document.getElementById(id);
  }

  function number(value, digits) {
    return new Intl.NumberFormat(state.lang === 'zh' ? 'zh-CN' : 'en-GB', {
      maximumFractionDigits: digits, minimumFractionDigits: 0
    }).format(value);
  }

  function area(m2) {
    const text = t('unit.m2', { v: number(m2, 2) });
    return m2 >= 1000 ? text + (state.lang === 'zh' ? '（' : ' (') + t('unit.ha', { v: number(m2 / 10000, 4) }) +
      (state.lang === 'zh' ? '）' : ')') : text;
  }

  function length(m) {
    return m >= 1000 ? t('unit.km', { v: number(m / 1000, 3) }) : t('unit.m', { v: number(m, 1) });
  }

  function ratio(r) {
    if (r === null || r === undefined) {
      return '–';
    }
    return r > 0 && r < 0.001 ? '<0.1%' : number(r * 100, 1) + '%';
  }

  function kindName(id) {
    const kind = state.kinds.find((k) => k.id === id) ||
      (state.service && (state.service.kinds || []).find((k) => k.id === id));
    if (!kind) {
      return id;
    }
    return (state.lang === 'en' ? kind.name_en : kind.name) || kind.name || id;
  }

  function subzoneName(id) {
    return id && has('subzone.' + id) ? t('subzone.' + id) : id;
  }

  function verdictName(verdict) {
    return has('verdict.' + verdict) ? t('verdict.' + verdict) : verdict;
  }

  function chip(verdict) {
    return el('span', { className: 'rl-chip rl-v-' + verdict, 'data-verdict': verdict, text: verdictName(verdict) });
  }

  // OGC links are absolute, made from the Host header; fetch them from this page's origin.
  function sameOrigin(href) {
    const url = new URL(href, window.location.href);
    return url.pathname + url.search;
  }

  // Every request to the API and to /ogc: with the token, if the server wants one; a 401
  // brings up the token form.
  async function apiFetch(url, init) {
    const options = Object.assign({}, init || {});
    const headers = new Headers(options.headers || {});
    if (state.token) {
      headers.set('Authorization', 'Bearer ' + state.token);
    }
    options.headers = headers;
    const response = await fetch(url, options);
    if (response.status === 401) {
      const body = await readJson(response.clone());
      askForToken(body && body.error ? body.error : null);
    }
    return response;
  }

  async function getJson(url, signal) {
    const response = await apiFetch(url, { signal: signal, headers: { Accept: 'application/json' } });
    const body = await readJson(response);
    if (!response.ok) {
      throw apiFailure(response, body);
    }
    return body;
  }

  function askForToken(error) {
    state.tokenError = error;
    $('token-form').hidden = false;
    renderTokenReason();
  }

  function renderTokenReason() {
    const e = state.tokenError;
    $('token-reason').textContent = e ? ((state.lang === 'en' ? e.message_en : e.message) || e.message) : '';
  }

  async function readJson(response) {
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch (e) {
      return null;
    }
  }

  function apiFailure(response, body) {
    const error = new Error(body && body.error ? body.error.message : 'HTTP ' + response.status);
    error.api = body && body.error ? body.error : null;
    return error;
  }

  function apiMessage(error) {
    if (error.api) {
      return (state.lang === 'en' ? error.api.message_en : error.api.message) || error.api.message;
    }
    return error.message;
  }

  // ---- the service ---------------------------------------------------------------

  function renderServiceInfo() {
    const box = $('service-info');
    box.textContent = '';
    if (state.serviceFailed) {
      box.appendChild(el('span', { className: 'rl-bad', text: t(state.tokenError ? 'head.token_needed' : 'head.failed') }));
      return;
    }
    const service = state.service;
    if (!service) {
      box.appendChild(el('span', { text: t('head.loading') }));
      return;
    }
    const path = String(service.workspace || '');
    const base = path.startsWith('PG:') ? path : path.split('/').pop();
    const version = service.workspace_version ? service.workspace_version.id : '–';
    box.appendChild(el('span', { className: 'rl-service-item' }, [
      el('span', { className: 'rl-muted', text: t('head.workspace') + ' ' }),
      el('span', { title: path, text: base }),
      el('span', { className: 'rl-muted', text: ' · ' + t('head.version') + ' ' }),
      el('span', { text: String(version) })
    ]));
    box.appendChild(el('span', { className: 'rl-service-item' }, [
      el('span', { className: 'rl-muted', text: t('head.legal_date') + ' ' }),
      el('span', { text: service.legal_date || '–' })
    ]));
    box.appendChild(el('span', { className: 'rl-service-item rl-muted', text: 'redline ' + (service.version || '') }));
  }

  // ---- the map ---------------------------------------------------------------------

  const map = L.map('map', {
    center: [36, 110], zoom: 4, minZoom: 3, maxZoom: 19, attributionControl: false,
    zoomControl: true, boxZoom: true
  });
  window.redlineMap = map;   // for the browser test and for people poking at the page
  L.control.scale({ imperial: false, position: 'bottomleft' }).addTo(map);

  function pane(name, zIndex) {
    const p = map.createPane(name);
    p.style.zIndex = String(zIndex);
    return name;
  }
  const HIGHLIGHT_PANE = pane('rl-highlight', 480);
  const FOOTPRINT_PANE = pane('rl-footprint', 490);
  const SKETCH_PANE = pane('rl-sketch', 495);

  const highlightLayer = L.featureGroup().addTo(map);
  const footprintLayer = L.featureGroup().addTo(map);
  const sketchLayer = L.layerGroup().addTo(map);

  function styleOf(kind) {
    if (KIND_STYLES[kind]) {
      return KIND_STYLES[kind];
    }
    const unknown = state.kinds.filter((k) => !KIND_STYLES[k.id]).map((k) => k.id).sort();
    const colour = SPARE_COLOURS[Math.max(0, unknown.indexOf(kind)) % SPARE_COLOURS.length];
    return { order: 2, fill: colour, fillOpacity: 0.18, stroke: colour, weight: 1.2 };
  }

  function zoneStyle(kind, subzone) {
    const s = styleOf(kind);
    const fillOpacity = s.subzones && s.subzones[subzone] !== undefined ? s.subzones[subzone] : s.fillOpacity;
    return {
      color: s.stroke, weight: s.weight, opacity: 0.9, dashArray: s.dash || null,
      fill: fillOpacity > 0, fillColor: s.fill, fillOpacity: fillOpacity
    };
  }

  function showZonePopup(feature, latlng) {
    const p = feature.properties || {};
    const rows = [[t('popup.kind'), kindName(p.kind)]];
    if (p.subzone) {
      rows.push([t('popup.subzone'), subzoneName(p.subzone)]);
    }
    if (p.code) {
      rows.push([t('popup.code'), p.code]);
    }
    rows.push([t('popup.zone_id'), p.zone_id || feature.id]);
    if (p.area_m2 > 0) {
      rows.push([t('popup.area'), area(p.area_m2)]);
    }
    if (p.length_m > 0) {
      rows.push([t('popup.length'), length(p.length_m)]);
    }
    for (const key of Object.keys(p)) {
      if (STANDARD_PROPERTIES.indexOf(key) < 0 && p[key] !== null && p[key] !== '') {
        rows.push([has('attr.' + key) ? t('attr.' + key) : key, String(p[key])]);
      }
    }
    if (p.version !== undefined) {
      rows.push([t('popup.version'), String(p.version)]);
    }
    const list = el('dl');
    for (const [name, value] of rows) {
      list.appendChild(el('dt', { text: name }));
      list.appendChild(el('dd', { text: value }));
    }
    const content = el('div', { className: 'rl-popup' }, [el('h3', { text: p.name || p.zone_id || feature.id }), list]);
    L.popup({ maxWidth: 360, autoPanPadding: [20, 20] }).setLatLng(latlng).setContent(content).openOn(map);
  }

  function zoneLayer(kind, feature) {
    const layer = L.geoJSON(feature, {
      pane: kind.pane,
      style: () => zoneStyle(kind.id, feature.properties && feature.properties.subzone),
      pointToLayer: (f, latlng) => L.circleMarker(latlng, { radius: 5, pane: kind.pane })
    });
    layer.on('click', (e) => {
      if (drawing.mode) {
        return;   // the click is a vertex
      }
      L.DomEvent.stopPropagation(e);
      showZonePopup(feature, e.latlng);
    });
    return layer;
  }

  async function loadCollections() {
    const [service, collections] = await Promise.all([getJson('/api/v1'), getJson('/ogc/collections')]);
    state.service = service;
    const names = new Map((service.kinds || []).map((k) => [k.id, k]));
    state.kinds = (collections.collections || []).map((c) => {
      const named = names.get(c.id) || {};
      const bbox = c.extent && c.extent.spatial && c.extent.spatial.bbox && c.extent.spatial.bbox[0];
      return {
        id: c.id,
        name: named.name || c.title || c.id,
        name_en: named.name_en || c.description || c.id,
        extent: bbox || null,
        visible: true,
        group: L.featureGroup(),
        layers: new Map(),
        pane: null
      };
    });
    state.kinds.sort((a, b) => styleOf(a.id).order - styleOf(b.id).order || a.id.localeCompare(b.id));
    state.kinds.forEach((kind, i) => {
      kind.pane = pane('rl-kind-' + kind.id.replace(/[^A-Za-z0-9_-]/g, '_'), 400 + i * 5);
      kind.group.addTo(map);
    });
  }

  function workspaceBounds() {
    // The protective zones and units, where screening happens; districts only if alone.
    const inner = state.kinds.filter((k) => k.extent && k.id !== 'district');
    const chosen = inner.length ? inner : state.kinds.filter((k) => k.extent);
    if (!chosen.length) {
      return null;
    }
    let bounds = null;
    for (const kind of chosen) {
      const b = L.latLngBounds([kind.extent[1], kind.extent[0]], [kind.extent[3], kind.extent[2]]);
      bounds = bounds ? bounds.extend(b) : b;
    }
    return bounds;
  }

  async function loadKind(kind, bbox, signal) {
    let url = '/ogc/collections/' + encodeURIComponent(kind.id) + '/items?bbox=' + bbox + '&limit=' + PAGE_LIMIT;
    const features = [];
    let matched = null;
    let pages = 0;
    while (url && pages < MAX_PAGES) {
      const body = await getJson(url, signal);
      for (const f of body.features || []) {
        features.push(f);
      }
      if (matched === null && typeof body.numberMatched === 'number') {
        matched = body.numberMatched;
      }
      const next = (body.links || []).find((l) => l.rel === 'next');
      url = next ? sameOrigin(next.href) : null;
      pages += 1;
    }
    return { kind: kind, features: features, matched: matched === null ? features.length : matched, truncated: !!url };
  }

  function showKindFeatures(kind, features) {
    const seen = new Set();
    for (const feature of features) {
      const id = String(feature.id);
      seen.add(id);
      remember(kind.id + '\u0000' + id, feature);
      if (!kind.layers.has(id)) {
        const layer = zoneLayer(kind, feature);
        kind.layers.set(id, { layer: layer, area: (feature.properties && feature.properties.area_m2) || 0 });
        kind.group.addLayer(layer);
      }
    }
    for (const [id, entry] of Array.from(kind.layers)) {
      if (!seen.has(id)) {
        kind.group.removeLayer(entry.layer);
        kind.layers.delete(id);
      }
    }
    // Smaller zones over larger ones (a level 1 zone inside its level 2 zone stays clickable).
    Array.from(kind.layers.values()).sort((a, b) => b.area - a.area).forEach((entry) => entry.layer.bringToFront());
  }

  async function loadZones() {
    if (state.loadController) {
      state.loadController.abort();
    }
    const controller = new AbortController();
    state.loadController = controller;
    const b = map.getBounds().pad(0.15);
    const bbox = [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()),
                  Math.min(90, b.getNorth())].map((v) => v.toFixed(6)).join(',');
    setMapStatus({ key: 'map.loading' });
    try {
      const visible = state.kinds.filter((k) => k.visible);
      const loaded = await Promise.all(visible.map((k) => loadKind(k, bbox, controller.signal)));
      if (controller.signal.aborted) {
        return;
      }
      let shown = 0;
      const capped = [];
      for (const { kind, features, matched, truncated } of loaded) {
        showKindFeatures(kind, features);
        shown += features.length;
        if (truncated) {
          capped.push({ kind: kind.id, matched: matched, shown: features.length });
        }
      }
      $('map').setAttribute('data-zones-loaded', String(shown));
      setMapStatus(capped.length ? { key: 'map.capped', capped: capped } : { key: 'map.loaded', args: { n: shown } });
    } catch (error) {
      if (error.name === 'AbortError') {
        return;
      }
      setMapStatus({ key: 'map.load_failed', error: error });
    }
  }

  function setMapStatus(status) {
    state.mapStatus = status;
    renderMapStatus();
  }

  function renderMapStatus() {
    const status = state.mapStatus;
    const box = $('map-status');
    if (!status) {
      box.textContent = '';
      return;
    }
    box.classList.toggle('rl-bad', status.key === 'map.load_failed' || status.key === 'map.capped');
    if (status.key === 'map.capped') {
      box.textContent = status.capped.map((c) => t('map.capped', {
        kind: kindName(c.kind), matched: number(c.matched, 0), shown: number(c.shown, 0)
      })).join('；');
    } else if (status.key === 'map.load_failed') {
      box.textContent = t('map.load_failed', { message: apiMessage(status.error) });
    } else {
      box.textContent = t(status.key, status.args);
    }
  }

  let reloadTimer = null;
  map.on('moveend', () => {
    clearTimeout(reloadTimer);
    reloadTimer = setTimeout(loadZones, 200);
  });
  map.on('mousemove', (e) => {
    $('map-cursor').textContent = t('map.cursor', { lon: e.latlng.lng.toFixed(5), lat: e.latlng.lat.toFixed(5) });
  });
  map.on('mouseout', () => {
    $('map-cursor').textContent = '';
  });

  // The legend: every kind the workspace holds, with a switch, and the page's own layers.
  const Legend = L.Control.extend({
    options: { position: 'topright' },
    onAdd: function () {
      const box = L.DomUtil.create('div', 'rl-legend');
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      this.box = box;
      return box;
    },
    render: function () {
      const box = this.box;
      box.textContent = '';
      box.appendChild(el('h2', { text: t('legend.title') }));
      const list = el('ul');
      for (const kind of state.kinds.slice().reverse()) {
        const s = zoneStyle(kind.id, null);
        const swatch = el('span', { className: 'rl-swatch', 'aria-hidden': 'true' });
        swatch.style.borderColor = s.color;
        swatch.style.borderStyle = s.dashArray ? 'dashed' : 'solid';
        swatch.style.backgroundColor = s.fill ? hexToRgba(s.fillColor, Math.max(s.fillOpacity, 0.12)) : 'transparent';
        const input = el('input', { type: 'checkbox', 'data-kind': kind.id, 'aria-label': t('legend.toggle', { kind: kindName(kind.id) }) });
        input.checked = kind.visible;
        input.addEventListener('change', () => {
          kind.visible = input.checked;
          if (kind.visible) {
            kind.group.addTo(map);
            loadZones();
          } else {
            map.removeLayer(kind.group);
          }
        });
        list.appendChild(el('li', { 'data-kind': kind.id }, [el('label', null, [input, swatch, el('span', { text: kindName(kind.id) })])]));
      }
      const footprintSwatch = el('span', { className: 'rl-swatch rl-swatch-footprint', 'aria-hidden': 'true' });
      const hitSwatch = el('span', { className: 'rl-swatch rl-swatch-hit', 'aria-hidden': 'true' });
      list.appendChild(el('li', { className: 'rl-legend-own' }, [footprintSwatch, el('span', { text: t('legend.footprint') })]));
      list.appendChild(el('li', { className: 'rl-legend-own' }, [hitSwatch, el('span', { text: t('legend.hit') })]));
      box.appendChild(list);
      box.appendChild(el('p', { className: 'rl-legend-note', text: t('map.no_basemap') }));
    }
  });
  const legend = new Legend().addTo(map);

  function hexToRgba(hex, alpha) {
    const v = parseInt(hex.slice(1), 16);
    return 'rgba(' + ((v >> 16) & 255) + ',' + ((v >> 8) & 255) + ',' + (v & 255) + ',' + alpha + ')';
  }

  // ---- drawing -------------------------------------------------------------------
  // Leaflet has no drawing tools in Debian (no leaflet.draw): clicks add vertices, a
  // double-click, a click on the first vertex, Enter or "完成" finishes.

  const drawing = { mode: null, points: [], cursor: null };

  const FOOTPRINT_STYLE = { pane: FOOTPRINT_PANE, color: '#1b1b1b', weight: 2.5, opacity: 1, fill: true,
                            fillColor: '#F2B705', fillOpacity: 0.4 };
  const SKETCH_STYLE = { pane: SKETCH_PANE, color: '#1b1b1b', weight: 2, opacity: 1, interactive: false };

  function startDrawing(mode) {
    if (drawing.mode === mode) {
      cancelDrawing();
      return;
    }
    cancelDrawing();
    drawing.mode = mode;
    drawing.points = [];
    map.closePopup();
    map.doubleClickZoom.disable();
    $('map').classList.add('rl-drawing');
    renderDrawUi();
  }

  function stopDrawing() {
    drawing.mode = null;
    drawing.points = [];
    drawing.cursor = null;
    sketchLayer.clearLayers();
    map.doubleClickZoom.enable();
    $('map').classList.remove('rl-drawing');
    renderDrawUi();
  }

  function cancelDrawing() {
    if (drawing.mode) {
      stopDrawing();
    }
  }

  function pixelDistance(a, b) {
    return map.latLngToContainerPoint(a).distanceTo(map.latLngToContainerPoint(b));
  }

  function renderSketch() {
    sketchLayer.clearLayers();
    const pts = drawing.points;
    if (!pts.length) {
      return;
    }
    const guide = drawing.cursor ? pts.concat([drawing.cursor]) : pts.slice();
    if (drawing.mode === 'polygon' && guide.length >= 3) {
      sketchLayer.addLayer(L.polygon(guide, Object.assign({}, SKETCH_STYLE, { fill: true, fillColor: '#F2B705', fillOpacity: 0.2, dashArray: '5 4' })));
    } else if (guide.length >= 2) {
      sketchLayer.addLayer(L.polyline(guide, Object.assign({}, SKETCH_STYLE, { dashArray: '5 4' })));
    }
    if (pts.length >= 2) {
      sketchLayer.addLayer(L.polyline(pts, SKETCH_STYLE));
    }
    pts.forEach((p, i) => {
      sketchLayer.addLayer(L.circleMarker(p, {
        pane: SKETCH_PANE, radius: i === 0 ? 5 : 4, color: '#1b1b1b', weight: 1.5, fillColor: '#ffffff',
        fillOpacity: 1, interactive: false
      }));
    });
  }

  function rounded(latlng) {
    return [Math.round(latlng.lng * 1e7) / 1e7, Math.round(latlng.lat * 1e7) / 1e7];
  }

  function finishDrawing() {
    const mode = drawing.mode;
    if (mode !== 'polygon' && mode !== 'line') {
      return;
    }
    // A double-click's two clicks add the same place twice.
    const pts = [];
    for (const p of drawing.points) {
      if (!pts.length || pixelDistance(pts[pts.length - 1], p) > 3) {
        pts.push(p);
      }
    }
    if (mode === 'polygon' && pts.length > 3 && pixelDistance(pts[0], pts[pts.length - 1]) <= 3) {
      pts.pop();
    }
    const needed = mode === 'polygon' ? 3 : 2;
    if (pts.length < needed) {
      drawing.points = pts;
      renderSketch();
      $('draw-hint').textContent = t('draw.too_few.' + mode);
      return;
    }
    const coordinates = pts.map(rounded);
    const geometry = mode === 'polygon'
      ? { type: 'Polygon', coordinates: [coordinates.concat([coordinates[0]])] }
      : { type: 'LineString', coordinates: coordinates };
    stopDrawing();
    setDrawnFootprint(geometry);
  }

  map.on('click', (e) => {
    if (!drawing.mode) {
      return;
    }
    if (drawing.mode === 'point') {
      const geometry = { type: 'Point', coordinates: rounded(e.latlng) };
      stopDrawing();
      setDrawnFootprint(geometry);
      return;
    }
    const pts = drawing.points;
    if (drawing.mode === 'polygon' && pts.length >= 3 && pixelDistance(pts[0], e.latlng) <= 8) {
      finishDrawing();
      return;
    }
    pts.push(e.latlng);
    renderSketch();
  });
  map.on('dblclick', (e) => {
    if (drawing.mode === 'polygon' || drawing.mode === 'line') {
      L.DomEvent.stop(e);
      // Firefox also reports two quick clicks at different places as a double-click: only
      // one whose two clicks fell on the same spot ends the drawing.
      const pts = drawing.points;
      const n = pts.length;
      if (n >= 2 && pixelDistance(pts[n - 1], e.latlng) <= 6 && pixelDistance(pts[n - 2], e.latlng) <= 6) {
        finishDrawing();
      }
    }
  });
  map.on('mousemove', (e) => {
    if (drawing.mode && drawing.points.length) {
      drawing.cursor = e.latlng;
      renderSketch();
    }
  });
  document.addEventListener('keydown', (e) => {
    if (!drawing.mode || (e.target && /^(INPUT|SELECT|TEXTAREA)$/.test(e.target.tagName))) {
      return;
    }
    if (e.key === 'Escape') {
      cancelDrawing();
      e.preventDefault();
    } else if (e.key === 'Enter') {
      finishDrawing();
      e.preventDefault();
    } else if (e.key === 'Backspace') {
      drawing.points.pop();
      renderSketch();
      e.preventDefault();
    }
  });

  function renderDrawUi() {
    for (const mode of ['polygon', 'line', 'point']) {
      const button = $('draw-' + mode);
      button.setAttribute('aria-pressed', drawing.mode === mode ? 'true' : 'false');
    }
    const multi = drawing.mode === 'polygon' || drawing.mode === 'line';
    $('draw-finish').hidden = !multi;
    $('draw-undo').hidden = !multi;
    $('draw-cancel').hidden = !drawing.mode;
    $('draw-hint').textContent = drawing.mode ? t('draw.hint.' + drawing.mode) : '';
  }

  // A result belongs to the footprint it was made for: a new footprint takes it away.
  function discardOutcome() {
    state.requestSeq += 1;   // an answer still on its way is for the old footprint
    if (state.busy) {
      setBusy(false);
    }
    state.outcome = null;
    state.result = null;
    highlightLayer.clearLayers();
    renderOutcome();
  }

  function setDrawnFootprint(geometry) {
    $('upload').value = '';
    discardOutcome();
    state.source = { type: 'drawn', geometry: geometry };
    footprintLayer.clearLayers();
    footprintLayer.addLayer(L.geoJSON(geometry, {
      style: () => FOOTPRINT_STYLE,
      pointToLayer: (f, latlng) => L.circleMarker(latlng, Object.assign({}, FOOTPRINT_STYLE, { radius: 7 })),
      interactive: false
    }));
    sourceChanged();
  }

  function clearFootprint() {
    cancelDrawing();
    $('upload').value = '';
    state.source = null;
    footprintLayer.clearLayers();
    discardOutcome();
    sourceChanged();
  }

  // The footprint as sent: a Feature in CRS84, with the project's name.
  function footprintFeature() {
    if (!state.source || state.source.type !== 'drawn') {
      return null;
    }
    const name = $('fact-name').value.trim();
    const properties = { id: '1' };
    if (name) {
      properties.name = name;
    }
    return { type: 'Feature', properties: properties, geometry: state.source.geometry };
  }

  function renderSource() {
    const box = $('source-status');
    const source = state.source;
    box.classList.toggle('rl-muted', !source);
    if (!source) {
      box.textContent = t('source.none');
    } else if (source.type === 'file') {
      box.textContent = t('source.file', { name: source.file.name });
    } else if (source.geometry.type === 'Point') {
      box.textContent = t('source.point', { lon: source.geometry.coordinates[0].toFixed(6), lat: source.geometry.coordinates[1].toFixed(6) });
    } else if (source.geometry.type === 'Polygon') {
      box.textContent = t('source.polygon', { n: source.geometry.coordinates[0].length - 1 });
    } else {
      box.textContent = t('source.line', { n: source.geometry.coordinates.length });
    }
  }

  function sourceChanged() {
    renderSource();
    $('download-pdf').disabled = !state.source || state.busy;
    $('run-check').disabled = state.busy;
  }

  // ---- upload ----------------------------------------------------------------------

  $('upload').addEventListener('change', () => {
    const file = $('upload').files[0];
    cancelDrawing();
    footprintLayer.clearLayers();
    discardOutcome();
    state.source = file ? { type: 'file', file: file } : null;
    sourceChanged();
    if (file) {
      showUploadedFootprints(file);
    }
  });

  // The server reads the file as the check will (TXT, KML, DXF, shapefile, ...) and sends
  // it back as GeoJSON in WGS 84: drawn at once, before the check. A file it cannot read is
  // left undrawn; the check then says why.
  async function showUploadedFootprints(file) {
    const params = new URLSearchParams({ lang: state.lang });
    const form = new FormData();
    form.append('file', file, file.name);
    let data;
    try {
      const response = await apiFetch('/api/v1/footprints?' + params.toString(), { method: 'POST', body: form });
      data = response.ok ? await readJson(response) : null;
    } catch (error) {
      return;
    }
    if (!data || data.type !== 'FeatureCollection' || !state.source || state.source.file !== file) {
      return;   // unreadable, or another footprint was chosen meanwhile
    }
    try {
      const layer = L.geoJSON(data, {
        style: () => FOOTPRINT_STYLE,
        pointToLayer: (f, latlng) => L.circleMarker(latlng, Object.assign({}, FOOTPRINT_STYLE, { radius: 7 })),
        interactive: false
      });
      footprintLayer.clearLayers();
      footprintLayer.addLayer(layer);
      if (layer.getBounds().isValid()) {
        map.fitBounds(layer.getBounds(), { padding: [60, 60], maxZoom: 15 });
      }
    } catch (e) {
      footprintLayer.clearLayers();
    }
  }

  // ---- facts -----------------------------------------------------------------------

  function factSelects() {
    return Array.from(document.querySelectorAll('#facts select[data-vocabulary]'));
  }

  function renderFactOptions() {
    for (const select of factSelects()) {
      const vocabulary = select.getAttribute('data-vocabulary');
      const current = select.value;
      select.textContent = '';
      select.appendChild(el('option', { value: '', text: t(select.getAttribute('data-empty')) }));
      for (const value of VOCABULARY[vocabulary]) {
        const key = vocabulary === 'bool' ? 'value.bool.' + (value === 'yes') : 'value.' + vocabulary + '.' + value;
        select.appendChild(el('option', { value: value, text: t(key) }));
      }
      select.value = current;
    }
    $('as-of-hint').textContent = t('facts.as_of_hint', { date: state.service ? state.service.legal_date : '–' });
  }

  function outfallActivity() {
    return /^outfall-/.test($('fact-activity').value);
  }

  function renderOutfallFields() {
    for (const field of document.querySelectorAll('.rl-outfall')) {
      field.hidden = !outfallActivity();
    }
  }
  $('fact-activity').addEventListener('change', renderOutfallFields);
  // The result shown was for other facts: say so until the next check.
  $('facts').addEventListener('change', () => {
    if (state.outcome && state.outcome.type === 'result') {
      $('result').classList.add('rl-stale');
      $('action-status').textContent = t('result.stale');
    }
  });

  function checkParams(format) {
    const params = new URLSearchParams();
    for (const input of document.querySelectorAll('#facts [data-param]')) {
      if (input.closest('.rl-outfall') && !outfallActivity()) {
        continue;
      }
      const value = input.value.trim();
      if (value) {
        params.set(input.getAttribute('data-param'), value);
      }
    }
    params.set('lang', state.lang);
    if (format) {
      params.set('format', format);
    }
    return params;
  }

  function postCheck(format) {
    const url = '/api/v1/check?' + checkParams(format).toString();
    if (state.source.type === 'file') {
      const form = new FormData();
      form.append('file', state.source.file, state.source.file.name);
      return apiFetch(url, { method: 'POST', body: form });
    }
    return apiFetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/geo+json' },
      body: JSON.stringify(footprintFeature())
    });
  }

  // ---- the check -------------------------------------------------------------------

  function setBusy(busy, key) {
    state.busy = busy;
    $('run-check').disabled = busy;
    $('download-pdf').disabled = busy || !state.source;
    $('action-status').textContent = busy ? t(key) : '';
    document.body.classList.toggle('rl-busy', busy);
  }

  async function runCheck(options) {
    if (!state.source) {
      state.outcome = { type: 'text', key: 'check.need_footprint' };
      renderOutcome();
      return;
    }
    const seq = ++state.requestSeq;
    setBusy(true, 'check.running');
    let outcome;
    try {
      const response = await postCheck(null);
      const body = await readJson(response);
      if (body && body.error) {
        outcome = { type: 'api', error: body.error };
      } else if (body && Array.isArray(body.footprints)) {
        // 422 with the check's JSON: nothing usable in the input; its problems say why.
        outcome = response.ok ? { type: 'result', json: body } : { type: 'problems', json: body };
      } else {
        outcome = { type: 'text', key: 'check.bad_answer', args: { status: response.status } };
      }
    } catch (error) {
      outcome = { type: 'text', key: 'check.network', args: { message: error.message } };
    }
    if (seq !== state.requestSeq) {
      return;   // a later request (another language, another footprint) has the panel
    }
    setBusy(false);
    state.outcome = outcome;
    state.result = outcome.type === 'result' ? outcome.json : null;
    renderOutcome();
    if (!(options && options.keepView)) {
      // The answer is below the form: bring it up, as a reviewer came for it.
      const target = outcome.type === 'result' ? $('result') : $('error');
      target.scrollIntoView({ block: 'start', behavior: 'auto' });
    }
    if (outcome.type === 'result') {
      highlightHits(outcome.json, !(options && options.keepView));
    } else {
      highlightLayer.clearLayers();
    }
  }

  function renderOutcome() {
    const errorBox = $('error');
    const resultBox = $('result');
    errorBox.textContent = '';
    errorBox.hidden = true;
    resultBox.textContent = '';
    resultBox.classList.remove('rl-stale');
    const outcome = state.outcome;
    if (!outcome) {
      return;
    }
    if (outcome.type === 'result') {
      renderResult(outcome.json, resultBox);
      return;
    }
    errorBox.hidden = false;
    errorBox.appendChild(el('h3', { text: t('error.title') }));
    if (outcome.type === 'api') {
      const e = outcome.error;
      errorBox.setAttribute('data-code', e.code || '');
      errorBox.appendChild(el('p', { className: 'rl-error-message', text: (state.lang === 'en' ? e.message_en : e.message) || e.message }));
      errorBox.appendChild(el('p', { className: 'rl-muted rl-small', text: 'HTTP ' + e.status + ' · ' + e.code }));
    } else if (outcome.type === 'problems') {
      errorBox.setAttribute('data-code', 'problems');
      errorBox.appendChild(problemList(outcome.json.problems || []));
    } else {
      errorBox.setAttribute('data-code', outcome.key);
      errorBox.appendChild(el('p', { className: 'rl-error-message', text: t(outcome.key, outcome.args) }));
    }
  }

  function problemList(problems) {
    const list = el('ul', { className: 'rl-problems' });
    for (const p of problems) {
      const where = p.feature && p.feature.text ? p.feature.text + '：' : '';
      list.appendChild(el('li', { className: 'rl-sev-' + p.severity }, [
        el('span', { className: 'rl-sev', text: has('severity.' + p.severity) ? t('severity.' + p.severity) : p.severity }),
        ' ' + where + (p.message ? p.message.text : '')
      ]));
    }
    return list;
  }

  function overallVerdict(footprints) {
    let best = null;
    for (const f of footprints) {
      const v = f.status === 'unchecked' ? 'unchecked' : f.verdict;
      if (best === null || (VERDICT_RANK[v] || 0) > (VERDICT_RANK[best] || 0)) {
        best = v;
      }
    }
    return best;
  }

  function renderResult(json, box) {
    const footprints = json.footprints || [];
    const overall = overallVerdict(footprints);
    box.appendChild(el('h3', { className: 'rl-result-title', text: t('result.title') }));
    if (overall) {
      box.appendChild(el('div', { id: 'verdict', className: 'rl-verdict rl-v-' + overall, 'data-verdict': overall }, [
        el('div', { className: 'rl-verdict-label', text: t('result.verdict') }),
        el('div', { className: 'rl-verdict-value', text: verdictName(overall) }),
        el('p', { className: 'rl-verdict-note', text: t('verdict_note.' + overall) })
      ]));
    }
    box.appendChild(el('p', { className: 'rl-meta', text: t('result.meta', {
      date: json.rule_set ? json.rule_set.legal_date : '–',
      version: json.workspace ? json.workspace.version : '–',
      footprints: footprints.length,
      hits: json.summary ? json.summary.hits : 0
    }) }));
    const unchecked = footprints.filter((f) => f.status === 'unchecked').length;
    if (unchecked && overall !== 'unchecked') {
      box.appendChild(el('p', { className: 'rl-meta rl-bad', text: t('result.unchecked_count', { n: unchecked }) }));
    }
    box.appendChild(el('p', { className: 'rl-meta rl-muted', text: t('result.overall_note') }));

    for (const f of footprints) {
      box.appendChild(renderFootprint(f, footprints.length > 1));
    }
    if (json.problems && json.problems.length) {
      box.appendChild(el('section', { className: 'rl-block' }, [el('h4', { text: t('result.problems') }), problemList(json.problems)]));
    }
    const detections = json.input && json.input.detections;
    if (detections && detections.length) {
      const list = el('ul', { className: 'rl-detections' });
      for (const d of detections) {
        list.appendChild(el('li', { text: d.why ? d.why.text : d.what }));
      }
      box.appendChild(el('section', { className: 'rl-block rl-small' }, [el('h4', { text: t('result.input') }), list]));
    }
  }

  function renderFootprint(f, several) {
    const section = el('section', { className: 'rl-footprint', 'data-footprint': f.id });
    const title = f.name ? t('result.footprint_named', { name: f.name, id: f.id }) : t('result.footprint', { id: f.id });
    const verdict = f.status === 'unchecked' ? 'unchecked' : f.verdict;
    const measures = [];
    if (f.area_m2 > 0) {
      measures.push(t('result.area', { value: area(f.area_m2) }));
    }
    if (f.length_m > 0) {
      measures.push(t('result.length', { value: length(f.length_m) }));
    }
    section.appendChild(el('header', { className: 'rl-footprint-head' }, [
      several ? chip(verdict) : null,
      el('h4', { text: title }),
      el('span', { className: 'rl-muted', text: [f.geometry_type].concat(measures).join(' · ') })
    ]));
    if (f.unchecked_reason) {
      section.appendChild(el('p', { className: 'rl-bad', text: f.unchecked_reason.text }));
    }
    section.appendChild(renderFacts(f.activity));

    section.appendChild(el('h4', { className: 'rl-sub', text: t('result.hits') }));
    if (!f.hits || !f.hits.length) {
      section.appendChild(el('p', { className: 'rl-muted', text: t('result.no_hits') }));
      return section;
    }
    const list = el('ol', { className: 'rl-hits' });
    for (const hit of f.hits) {
      list.appendChild(renderHit(hit));
    }
    section.appendChild(list);
    return section;
  }

  function factValue(fact, value) {
    if (value === true || value === false) {
      return t('value.bool.' + value);
    }
    const key = 'value.' + fact + '.' + value;
    return has(key) ? t(key) : String(value);
  }

  function renderFacts(activity) {
    const box = el('dl', { className: 'rl-facts-used' });
    if (!activity) {
      return box;
    }
    const labels = { activity: 'facts.activity', industry: 'facts.industry', discharges: 'facts.discharges',
                     outfall_type: 'facts.outfall_type', receiving_water: 'facts.receiving_water',
                     listed_activity: 'facts.listed_activity' };
    box.appendChild(el('dt', { className: 'rl-facts-title', text: t('result.facts') }));
    for (const fact of Object.keys(labels)) {
      const value = activity[fact];
      if (value === null || value === undefined) {
        continue;
      }
      const source = activity.sources && activity.sources[fact];
      box.appendChild(el('dd', null, [
        el('span', { className: 'rl-muted', text: t(labels[fact]) + '：' }),
        factValue(fact, value),
        source ? el('span', { className: 'rl-muted', text: '（' + source.text + '）' }) : null
      ]));
    }
    return box;
  }

  function hitMeasure(hit) {
    if (hit.relation === 'near' && hit.distance_m !== null) {
      return t('measure.distance', { distance: length(hit.distance_m) });
    }
    if (hit.overlap_area_m2 !== null && hit.overlap_area_m2 !== undefined) {
      return t('measure.overlap', { area: area(hit.overlap_area_m2), ratio: ratio(hit.overlap_ratio) });
    }
    if (hit.inside_length_m !== null && hit.inside_length_m !== undefined) {
      return hit.overlap_ratio !== null
        ? t('measure.inside_length', { length: length(hit.inside_length_m), ratio: ratio(hit.overlap_ratio) })
        : t('measure.zone_line', { length: length(hit.inside_length_m) });
    }
    return '';
  }

  function renderHit(hit) {
    const item = el('li', { className: 'rl-hit rl-v-edge-' + hit.verdict, 'data-zone': hit.zone_id, 'data-kind': hit.kind });
    let subzone = '';
    if (hit.subzone) {
      const asOf = hit.subzone_as_of || hit.subzone;
      subzone = subzoneName(asOf);
      if (hit.subzone_source) {
        subzone += state.lang === 'zh' ? '（原“' + hit.subzone_source + '”）' : ' (source: ' + hit.subzone_source + ')';
      }
    }
    const zoom = el('button', { type: 'button', className: 'rl-link', text: t('result.zoom') });
    zoom.addEventListener('click', () => zoomToZone(hit.kind, hit.zone_id));
    item.appendChild(el('div', { className: 'rl-hit-head' }, [
      chip(hit.verdict),
      el('span', { className: 'rl-zone-name', text: hit.zone_name || hit.zone_id }),
      zoom
    ]));
    item.appendChild(el('div', { className: 'rl-hit-kind' }, [
      el('span', { text: [kindName(hit.kind), subzone].filter(Boolean).join(' · ') }),
      el('span', { className: 'rl-relation', text: has('relation.' + hit.relation) ? t('relation.' + hit.relation) : hit.relation }),
      hit.zone_code ? el('span', { className: 'rl-muted', text: hit.zone_code }) : null
    ]));
    const measure = hitMeasure(hit);
    if (measure) {
      item.appendChild(el('div', { className: 'rl-measure', text: measure }));
    }
    if (hit.rules && hit.rules.length) {
      const rules = el('ul', { className: 'rl-rules', 'aria-label': t('result.rules') });
      for (const rule of hit.rules) {
        rules.appendChild(renderRule(rule));
      }
      item.appendChild(rules);
    } else if (hit.note) {
      item.appendChild(el('p', { className: 'rl-rule-note', text: hit.note.text }));
    }
    if (hit.access_list && hit.access_list.length) {
      const dl = el('dl', { className: 'rl-access' });
      for (const entry of hit.access_list) {
        dl.appendChild(el('dt', { text: entry.label }));
        dl.appendChild(el('dd', { text: entry.text }));
      }
      item.appendChild(el('div', { className: 'rl-access-box' }, [el('h5', { text: t('result.access_list') }), dl]));
    }
    if (hit.access && hit.access.clauses.length) {
      item.appendChild(renderConformity(hit.access));
    }
    return item;
  }

  // 相符性分析: the counts, the deciding clause, then every clause with its conformity.
  function renderConformity(access) {
    const order = ['violates', 'needs_judgement', 'conforms', 'not_concerned'];
    const counts = order.map((c) => t('conformity.' + c) + ' ' + access.counts[c]).join(' · ');
    const box = el('div', { className: 'rl-conformity', 'data-outcome': access.outcome }, [
      el('h5', { text: t('result.conformity') }),
      el('p', { className: 'rl-conformity-counts', text: counts })
    ]);
    const deciding = access.clauses.find((c) => c.key === access.deciding);
    if (deciding) {
      box.appendChild(el('p', { className: 'rl-conformity-deciding rl-c-' + deciding.conformity }, [
        el('strong', { text: t('result.deciding_clause') }), ' ',
        el('span', { className: 'rl-muted', text: deciding.key }), ' “' + deciding.text + '” — ' + deciding.reason
      ]));
    }
    const rows = el('tbody');
    for (const c of access.clauses) {
      rows.appendChild(el('tr', { className: 'rl-c-' + c.conformity, 'data-key': c.key }, [
        el('td', {}, [el('span', { className: 'rl-clause-key', text: c.key }), (c.label ? c.label + ' ' : '') + c.text]),
        el('td', { className: 'rl-conformity-value', text: t('conformity.' + c.conformity) }),
        el('td', { text: c.reason })
      ]));
    }
    const table = el('table', { className: 'rl-conformity-table' }, [
      el('thead', {}, [el('tr', {}, ['result.clause', 'result.conformity_value', 'result.reason']
        .map((k) => el('th', { text: t(k) })))]),
      rows
    ]);
    box.appendChild(el('details', {}, [el('summary', { text: t('result.all_clauses', { n: access.clauses.length }) }), table]));
    return box;
  }

  function renderRule(rule) {
    const item = el('li', { className: 'rl-rule', 'data-rule': rule.id });
    item.appendChild(el('p', { className: 'rl-rule-message' }, [
      chip(rule.verdict), ' ', rule.message,
      rule.verified === false ? el('span', { className: 'rl-unverified', text: t('result.unverified') }) : null
    ]));
    const lines = el('dl', { className: 'rl-rule-lines' });
    const add = (key, text) => {
      if (text) {
        lines.appendChild(el('dt', { text: t(key) }));
        lines.appendChild(el('dd', { text: text }));
      }
    };
    add('result.basis', rule.basis + (rule.in_force && rule.in_force.from ? (state.lang === 'zh' ? '（' : ' (') +
      t('result.in_force', { from: rule.in_force.from }) + (state.lang === 'zh' ? '）' : ')') : ''));
    add('result.requires', rule.requires);
    add('result.note', rule.note);
    for (const a of rule.assumptions || []) {
      add('result.assumption', a.text);
    }
    item.appendChild(lines);
    if (rule.history && rule.history.length) {
      const details = el('details', { className: 'rl-history' }, [el('summary', { text: t('result.history') })]);
      const list = el('ul');
      for (const h of rule.history) {
        list.appendChild(el('li', { text: h }));
      }
      details.appendChild(list);
      item.appendChild(details);
    }
    return item;
  }

  // ---- hits on the map -------------------------------------------------------------

  // A hit keeps its kind's colour, outlined boldly, so that the map still says what was hit.
  function hitStyle(kind) {
    const s = styleOf(kind);
    return { pane: HIGHLIGHT_PANE, color: s.stroke, weight: 4, opacity: 1, dashArray: null, fill: false,
             interactive: false };
  }

  // Oldest out first, so that panning over a province does not keep every zone.
  function remember(key, feature) {
    state.seenZones.delete(key);
    state.seenZones.set(key, feature);
    if (state.seenZones.size > SEEN_ZONES) {
      state.seenZones.delete(state.seenZones.keys().next().value);
    }
  }

  // A hit zone's geometry: from the zones loaded lately, else by its id from /ogc.
  async function zoneFeature(kind, zoneId) {
    const key = kind + '\u0000' + zoneId;
    if (state.seenZones.has(key)) {
      return state.seenZones.get(key);
    }
    try {
      const feature = await getJson('/ogc/collections/' + encodeURIComponent(kind) + '/items/' + encodeURIComponent(zoneId));
      remember(key, feature);
      return feature;
    } catch (e) {
      return null;   // shown in the list all the same
    }
  }

  async function highlightHits(json, fit) {
    highlightLayer.clearLayers();
    const wanted = new Map();
    for (const f of json.footprints || []) {
      for (const hit of f.hits || []) {
        // Districts frame everything: outlining the whole district says nothing.
        if (hit.kind !== 'district') {
          wanted.set(hit.kind + '\u0000' + hit.zone_id, hit);
        }
      }
    }
    const seq = state.requestSeq;
    const features = await Promise.all(Array.from(wanted.values()).map((hit) => zoneFeature(hit.kind, hit.zone_id)));
    if (seq !== state.requestSeq) {
      return;
    }
    const protective = L.latLngBounds([]);
    const all = L.latLngBounds([]);
    features.forEach((feature, i) => {
      if (!feature) {
        return;
      }
      const hit = Array.from(wanted.values())[i];
      const style = hitStyle(hit.kind);
      const layer = L.geoJSON(feature, { style: () => style, pointToLayer: (f, ll) => L.circleMarker(ll, style) });
      highlightLayer.addLayer(layer);
      all.extend(layer.getBounds());
      if (hit.kind !== 'control_unit') {
        protective.extend(layer.getBounds());
      }
    });
    // Uploads: show where the footprint is (its own outline if the page could read it).
    if (fit && state.source && state.source.type === 'file') {
      const own = footprintLayer.getLayers().length ? footprintLayer.getBounds() : null;
      const target = own && own.isValid() ? own : protective.isValid() ? protective : all;
      if (target.isValid()) {
        map.fitBounds(target, { padding: [60, 60], maxZoom: 15 });
      }
    }
  }

  async function zoomToZone(kind, zoneId) {
    const feature = await zoneFeature(kind, zoneId);
    if (!feature) {
      return;
    }
    const bounds = L.geoJSON(feature).getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [40, 40], maxZoom: 16 });
    }
  }

  // ---- the report ------------------------------------------------------------------

  function filenameOf(disposition) {
    if (!disposition) {
      return null;
    }
    const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(disposition);
    if (star) {
      try {
        return decodeURIComponent(star[1].trim());
      } catch (e) {
        // fall through to the plain name
      }
    }
    const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
    return plain ? plain[1].trim() : null;
  }

  async function downloadPdf() {
    if (!state.source) {
      state.outcome = { type: 'text', key: 'check.need_footprint' };
      renderOutcome();
      return;
    }
    setBusy(true, 'check.pdf_running');
    let saved = null;
    try {
      const response = await postCheck('pdf');
      if (!response.ok) {
        const body = await readJson(response);
        state.outcome = body && body.error ? { type: 'api', error: body.error }
          : body && Array.isArray(body.footprints) ? { type: 'problems', json: body }
            : { type: 'text', key: 'check.bad_answer', args: { status: response.status } };
        renderOutcome();
      } else {
        const blob = await response.blob();
        saved = filenameOf(response.headers.get('Content-Disposition')) || 'redline-report.pdf';
        const url = URL.createObjectURL(blob);
        const link = el('a', { href: url, download: saved, hidden: true });
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 60000);
      }
    } catch (error) {
      state.outcome = { type: 'text', key: 'check.network', args: { message: error.message } };
      renderOutcome();
    }
    setBusy(false);
    if (saved) {
      $('action-status').textContent = t('check.pdf_saved', { name: saved });
    }
  }

  // ---- language --------------------------------------------------------------------

  function applyTexts() {
    document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = t('app.title') + ' · redline';
    for (const node of document.querySelectorAll('[data-i18n]')) {
      node.textContent = t(node.getAttribute('data-i18n'));
    }
    for (const node of document.querySelectorAll('[data-i18n-label]')) {
      node.setAttribute('aria-label', t(node.getAttribute('data-i18n-label')));
    }
    for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
      node.setAttribute('placeholder', t(node.getAttribute('data-i18n-placeholder')));
    }
    $('lang-zh').setAttribute('aria-pressed', state.lang === 'zh' ? 'true' : 'false');
    $('lang-en').setAttribute('aria-pressed', state.lang === 'en' ? 'true' : 'false');
    renderServiceInfo();
    renderFactOptions();
    renderDrawUi();
    renderSource();
    renderMapStatus();
    renderTokenReason();
    legend.render();
    map.closePopup();
  }

  function setLanguage(lang) {
    if (lang === state.lang) {
      return;
    }
    state.lang = lang;
    try {
      window.localStorage.setItem('redline.lang', lang);
    } catch (e) {
      // private windows may refuse storage: the choice lasts for this page only
    }
    applyTexts();
    const outcome = state.outcome;
    if (outcome && (outcome.type === 'result' || outcome.type === 'problems') && state.source) {
      runCheck({ keepView: true });   // the API writes its texts in the language asked for
    } else {
      renderOutcome();
    }
    if (state.busy) {
      $('action-status').textContent = t('check.running');
    }
  }

  // ---- wiring ----------------------------------------------------------------------

  $('draw-polygon').addEventListener('click', () => startDrawing('polygon'));
  $('draw-line').addEventListener('click', () => startDrawing('line'));
  $('draw-point').addEventListener('click', () => startDrawing('point'));
  $('draw-finish').addEventListener('click', finishDrawing);
  $('draw-undo').addEventListener('click', () => {
    drawing.points.pop();
    renderSketch();
  });
  $('draw-cancel').addEventListener('click', cancelDrawing);
  $('draw-clear').addEventListener('click', clearFootprint);
  $('run-check').addEventListener('click', () => runCheck({ keepView: false }));
  $('download-pdf').addEventListener('click', downloadPdf);
  $('lang-zh').addEventListener('click', () => setLanguage('zh'));
  $('lang-en').addEventListener('click', () => setLanguage('en'));
  $('facts').addEventListener('submit', (e) => {
    e.preventDefault();
    runCheck({ keepView: false });
  });

  // What the browser test reads: the footprint the page sends and its last answer.
  window.redlineApp = {
    footprint: footprintFeature,
    result: () => state.result,
    busy: () => state.busy
  };

  $('token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const token = $('token-input').value.trim();
    if (!token) {
      return;
    }
    state.token = token;
    try {
      window.sessionStorage.setItem('redline.token', token);
    } catch (error) {
      // kept for this page only
    }
    $('token-input').value = '';
    $('token-form').hidden = true;
    state.tokenError = null;
    if (!state.service) {
      connect();   // the start was what asked for it
    }
  });

  async function start() {
    try {
      const stored = window.localStorage.getItem('redline.lang');
      if (stored === 'en' || stored === 'zh') {
        state.lang = stored;
      }
      state.token = window.sessionStorage.getItem('redline.token');
    } catch (e) {
      // no storage: Chinese, and no token until asked
    }
    applyTexts();
    renderOutfallFields();
    sourceChanged();
    connect();
  }

  async function connect() {
    state.serviceFailed = false;
    renderServiceInfo();
    try {
      await loadCollections();
    } catch (error) {
      state.serviceFailed = true;
      renderServiceInfo();
      setMapStatus({ key: 'map.load_failed', error: error });
      return;
    }
    applyTexts();
    const bounds = workspaceBounds();
    if (bounds) {
      map.fitBounds(bounds, { padding: [20, 20] });
    }
    loadZones();
  }

  start();
}());
