"""Open an OGC API – Features collection in headless QGIS and print what QGIS sees, as JSON.

Runs under Debian's /usr/bin/python3 (python3-qgis), not the project's virtualenv:
    qgis_oapif.py LANDING_URL COLLECTION USER PASSWORD
"""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.getuid()}")

from qgis.core import QgsApplication, QgsDataSourceUri, QgsVectorLayer


def main(url: str, collection: str, user: str, password: str) -> dict:
    uri = QgsDataSourceUri()
    uri.setParam("url", url)
    uri.setParam("typename", collection)
    uri.setUsername(user)  # QGIS sends these as HTTP Basic credentials
    uri.setPassword(password)
    messages: list[str] = []
    QgsApplication.messageLog().messageReceived.connect(
        lambda message, tag, level: messages.append(f"{tag}: {message}")
    )
    layer = QgsVectorLayer(uri.uri(False), collection, "OAPIF")
    result: dict = {"valid": layer.isValid(), "messages": messages}
    if layer.isValid():
        features = list(layer.getFeatures())
        extent = layer.extent()
        result.update(
            feature_count=layer.featureCount(),
            features_read=len(features),
            references=sorted(str(f["reference"]) for f in features),
            extent=[extent.xMinimum(), extent.yMinimum(), extent.xMaximum(), extent.yMaximum()],
            crs=layer.crs().authid(),
        )
    del layer  # QGIS 3.22 crashes at exit when a provider outlives the application
    return result


if __name__ == "__main__":
    application = QgsApplication([], False)
    application.setPrefixPath("/usr", True)
    application.initQgis()
    try:
        print(json.dumps(main(*sys.argv[1:5])))
    finally:
        application.exitQgis()
