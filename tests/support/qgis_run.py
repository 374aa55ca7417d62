"""Headless QGIS (Debian's python3-qgis) doing what an analyst does, printing what it saw as
JSON on its last line. Runs under /usr/bin/python3, not the project's virtualenv:

    qgis_run.py features LANDING COLLECTION TOKEN [SUBSET]
        an OGC API – Features layer, filtered by a QGIS subset string: its features' ids
    qgis_run.py tiles TILE_URL STYLE_URL TOKEN XMIN YMIN XMAX YMAX PNG
        a vector tile layer styled from the style URL, rendered (EPSG:3857 extent)
    qgis_run.py project QGZ TOKEN XMIN YMIN XMAX YMAX PNG
        the project opened as QGIS opens it, its visible layers rendered

Credentials go through QGIS's authentication manager as a Basic configuration whose
password is the token, with the id the served project names (``landrel``).
"""

import json
import os
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.getuid()}")
# A profile of its own: the authentication database is created there.
os.environ["QGIS_CUSTOM_CONFIG_PATH"] = tempfile.mkdtemp(prefix="qgis-profile-")

from qgis.core import (
    QgsApplication,
    QgsAuthMethodConfig,
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
    QgsVectorTileLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

AUTHCFG = "landrel"
SIZE = 512


def authenticate(token: str) -> None:
    manager = QgsApplication.authManager()
    manager.setMasterPassword("headless", True)
    config = QgsAuthMethodConfig("Basic")
    config.setId(AUTHCFG)
    config.setName("land release")
    config.setConfig("username", "analyst")
    config.setConfig("password", token)
    assert manager.storeAuthenticationConfig(config), "the configuration was not stored"


def features(landing: str, collection: str, token: str, subset: str = "") -> dict:
    authenticate(token)
    uri = QgsDataSourceUri()
    uri.setParam("url", landing)
    uri.setParam("typename", collection)
    uri.setParam("pageSize", "3")  # several pages, each carrying the filter in its next link
    uri.setAuthConfigId(AUTHCFG)
    messages: list[str] = []
    QgsApplication.messageLog().messageReceived.connect(
        lambda message, tag, level: messages.append(f"{tag}: {message}")
    )
    layer = QgsVectorLayer(uri.uri(False), collection, "OAPIF")
    result: dict = {"valid": layer.isValid(), "messages": messages}
    if layer.isValid():
        result["subset_accepted"] = layer.setSubsetString(subset) if subset else True
        found = list(layer.getFeatures())
        names = layer.fields().names()
        key = "reference" if "reference" in names else "id"
        result["ids"] = sorted(str(f[key]) for f in found)
        result["field_types"] = {f.name(): f.typeName() for f in layer.fields()}
        extent = layer.extent()
        result.update(
            feature_count=layer.featureCount(),
            extent=[extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()],
            crs=layer.crs().authid(),
        )
    del layer  # QGIS 3.22 crashes at exit when a provider outlives the application
    return result


def render(layers: list, extent: list[float], png: str) -> None:
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setOutputSize(QSize(SIZE, SIZE))
    settings.setExtent(QgsRectangle(*extent))
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    assert job.renderedImage().save(png, "PNG")


def tiles(tile_url: str, style_url: str, token: str, *rest: str) -> dict:
    authenticate(token)
    *extent, png = rest
    source = QgsDataSourceUri()
    source.setParam("type", "xyz")
    source.setParam("url", tile_url)
    source.setParam("zmin", "0")
    source.setParam("zmax", "16")
    source.setParam("styleUrl", style_url)
    source.setAuthConfigId(AUTHCFG)
    layer = QgsVectorTileLayer(bytes(source.encodedUri()).decode(), "tiles")
    warnings: list[str] = []
    message, loaded = layer.loadDefaultStyle()  # what QGIS does when the layer is added
    styles = [s.styleName() for s in layer.renderer().styles()] if layer.renderer() else []
    render([layer], [float(v) for v in extent], png)
    return {"valid": layer.isValid(), "style_loaded": loaded, "message": message,
            "styles": styles, "warnings": warnings}  # fmt: skip


def project(qgz: str, token: str, *rest: str) -> dict:
    authenticate(token)
    *extent, png = rest
    loaded = QgsProject.instance().read(qgz)
    root = QgsProject.instance().layerTreeRoot()
    layers = {
        node.layer().name(): node.layer() for node in root.findLayers() if node.layer() is not None
    }
    visible = [node.layer() for node in root.findLayers() if node.isVisible() and node.layer()]
    render(visible, [float(v) for v in extent], png)
    result = {
        "loaded": loaded,
        "layers": {name: layer.isValid() for name, layer in layers.items()},
        "visible": [layer.name() for layer in visible],
        "feature_counts": {
            name: layer.featureCount()
            for name, layer in layers.items()
            if isinstance(layer, QgsVectorLayer) and layer.isValid()
        },
        "renderers": {
            name: layer.renderer().type() if layer.renderer() else None
            for name, layer in layers.items()
        },
    }
    QgsProject.instance().clear()
    return result


if __name__ == "__main__":
    application = QgsApplication([], False)
    application.setPrefixPath("/usr", True)
    application.initQgis()
    try:
        command, *arguments = sys.argv[1:]
        print(
            json.dumps(
                {"features": features, "tiles": tiles, "project": project}[command](*arguments)
            )
        )
    finally:
        application.exitQgis()
