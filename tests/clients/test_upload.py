"""``artifacts.upload`` runs the spec's ``x-presigned-upload`` flow and never leaves it half-made.

A fake API and a fake storage host share one ``MockTransport``, as they would share the injected
``httpx`` client in real use: create -> PUT to the presigned URL -> confirm -> read back.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.clients.support import client, result
from tests.specs import package

SYNC_ASYNC = pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
UPLOAD_URL = "https://storage.test.invalid/presigned-put-url?sig=abc"
MAX = 104857600


class FakeApi:
    """The artifact endpoints plus the storage host; records every request it gets."""

    def __init__(
        self,
        put_status: int = 200,
        confirm_status: int = 200,
        delete_status: int = 200,
        listing: str = "current",
    ) -> None:
        self.put_status = put_status
        # "current": the listing shows the new artifact; "lagging": not yet; "failing": a 500.
        self.listing = listing
        self.confirm_status, self.delete_status = confirm_status, delete_status
        self.calls: list[tuple[str, str]] = []
        self.created: dict[str, Any] = {}
        self.put_body = b""
        self.put_headers: httpx.Headers = httpx.Headers()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append((request.method, request.url.path))
        if request.url.host == "storage.test.invalid":
            self.put_headers, self.put_body = request.headers, request.read()
            return httpx.Response(self.put_status, text="" if self.put_status < 300 else "denied")
        if request.method == "POST" and request.url.path.endswith("/artifact/"):
            self.created = json.loads(request.content)
            return httpx.Response(200, json={"artifact_id": "art_1", "upload_url": UPLOAD_URL})
        if request.url.path.endswith("/confirm"):
            return httpx.Response(self.confirm_status)
        if request.method == "DELETE":
            return httpx.Response(self.delete_status)
        if request.method == "GET" and self.listing == "failing":
            return httpx.Response(500, json={"error": "listing unavailable"})
        if request.method == "GET":
            ids = ["art_0"] if self.listing == "lagging" else ["art_0", "art_1"]
            return httpx.Response(200, json={"artifacts": [self._artifact(i) for i in ids]})
        return httpx.Response(200)

    def _artifact(self, artifact_id: str) -> dict[str, Any]:
        return {
            "artifact_id": artifact_id,
            "test_result_id": "res_1",
            "project_id": "project_1",
            "label": self.created.get("label", "x"),
            "kind": self.created.get("kind", "Other"),
            "content_type": self.created.get("content_type", "text/plain"),
            "size_bytes": self.created.get("size_bytes", 1),
            "test_step": None,
            "metadata": None,
            "expires_at": "2025-02-14T10:31:00Z",
            "created_at": "2025-01-15T10:31:00Z",
        }

    @property
    def steps(self) -> list[str]:
        names = {"POST": "create", "PUT": "put", "GET": "list", "DELETE": "delete"}
        return ["confirm" if p.endswith("/confirm") else names[m] for m, p in self.calls]


@SYNC_ASYNC
async def test_upload_from_a_path_infers_fields_and_streams_without_the_key(
    is_async: bool, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    log.write_bytes(b"line 1\nline 2\n" * 10000)
    fake = FakeApi()
    artifact = await result(
        client("automated_future", fake, is_async).artifacts.upload(
            test_result_id="res_1", file=log
        )
    )
    assert fake.steps == ["create", "put", "confirm", "list"]
    assert fake.created == {
        "test_result_id": "res_1",
        "label": "server.log",
        "kind": "Log",
        "content_type": "text/plain",
        "size_bytes": 140000,
    }
    assert fake.put_body == log.read_bytes()
    assert fake.put_headers["content-type"] == "text/plain"
    assert fake.put_headers["content-length"] == "140000"
    assert "authorization" not in fake.put_headers
    assert "transfer-encoding" not in fake.put_headers
    assert isinstance(artifact, package("automated_future").models.Artifact)
    assert artifact.artifact_id == "art_1"


@SYNC_ASYNC
@pytest.mark.parametrize("listing", ["lagging", "failing"])
async def test_a_confirmed_upload_never_fails_on_its_read_back(
    is_async: bool, listing: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeApi(listing=listing)
    pkg = package("automated_future")
    artifact = await result(
        client("automated_future", fake, is_async).artifacts.upload(
            test_result_id="res_1", file=b"log text", label="run.log"
        )
    )
    assert fake.steps[:3] == ["create", "put", "confirm"]
    assert "delete" not in fake.steps
    assert isinstance(artifact, pkg.models.Artifact)
    assert (artifact.artifact_id, artifact.label, artifact.size_bytes) == ("art_1", "run.log", 8)
    assert artifact.test_result_id == "res_1"
    assert artifact.model_extra == {"upload_url": UPLOAD_URL}
    missing = {m.path for m in pkg.mismatches(artifact) if m.received is pkg.MISSING}
    assert missing == {"project_id", "expires_at", "created_at", "test_step", "metadata"}
    assert artifact.created_at is None
    assert any("does not show it yet" in r.getMessage() for r in caplog.records)


@SYNC_ASYNC
async def test_upload_of_bytes_takes_the_given_label_and_falls_back_to_other(
    is_async: bool,
) -> None:
    fake = FakeApi()
    api = client("automated_future", fake, is_async)
    await result(
        api.artifacts.upload(
            test_result_id="res_1",
            file=b"\x00\x01",
            label="blob",
            test_step="s1",
            metadata={"k": 1},
        )
    )
    assert fake.created["kind"] == "Other"
    assert fake.created["content_type"] == "application/octet-stream"
    assert fake.created["test_step"] == "s1"
    assert fake.created["metadata"] == {"k": 1}
    assert fake.put_body == b"\x00\x01"


@SYNC_ASYNC
async def test_upload_of_a_file_object_reads_name_and_type(is_async: bool, tmp_path: Path) -> None:
    (tmp_path / "shot.png").write_bytes(b"\x89PNG....")
    fake = FakeApi()
    api = client("automated_future", fake, is_async)
    with (tmp_path / "shot.png").open("rb") as handle:
        await result(api.artifacts.upload(test_result_id="res_1", file=handle))
    assert (fake.created["label"], fake.created["kind"], fake.created["content_type"]) == (
        "shot.png",
        "Image",
        "image/png",
    )
    assert fake.put_body == b"\x89PNG...."


@SYNC_ASYNC
async def test_explicit_values_win_over_inference(is_async: bool) -> None:
    fake = FakeApi()
    api = client("automated_future", fake, is_async)
    await result(
        api.artifacts.upload(
            test_result_id="res_1",
            file=io.BytesIO(b"abc"),
            label="L",
            kind="Video",
            content_type="video/mp4",
        )
    )
    assert (fake.created["label"], fake.created["kind"], fake.created["content_type"]) == (
        "L",
        "Video",
        "video/mp4",
    )
    assert fake.put_headers["content-type"] == "video/mp4"


@SYNC_ASYNC
async def test_a_failed_put_deletes_the_record_and_raises(is_async: bool) -> None:
    fake = FakeApi(put_status=403)
    api = client("automated_future", fake, is_async)
    with pytest.raises(package("automated_future").PermissionDeniedError, match="denied"):
        await result(api.artifacts.upload(test_result_id="res_1", file=b"abc", label="x"))
    assert fake.steps == ["create", "put", "delete"]
    assert fake.calls[-1] == ("DELETE", "/v1/artifact/art_1")


@SYNC_ASYNC
@pytest.mark.parametrize(("size", "message"), [(0, "0 bytes"), (MAX + 1, f"{MAX + 1} bytes")])
async def test_a_file_outside_the_limits_is_refused_before_any_request(
    is_async: bool, tmp_path: Path, size: int, message: str
) -> None:
    path = tmp_path / "big.bin"
    with path.open("wb") as handle:
        handle.truncate(size)  # sparse: no real 100 MB written
    fake = FakeApi()
    api = client("automated_future", fake, is_async)
    with pytest.raises(package("automated_future").UploadError, match=message):
        await result(api.artifacts.upload(test_result_id="res_1", file=path))
    assert fake.calls == []


@SYNC_ASYNC
async def test_bytes_without_a_label_are_refused_before_any_request(is_async: bool) -> None:
    fake = FakeApi()
    api = client("automated_future", fake, is_async)
    with pytest.raises(package("automated_future").UploadError, match="label="):
        await result(api.artifacts.upload(test_result_id="res_1", file=b"abc"))
    assert fake.calls == []


@SYNC_ASYNC
async def test_a_missing_file_is_an_upload_error(is_async: bool, tmp_path: Path) -> None:
    api = client("automated_future", FakeApi(), is_async)
    with pytest.raises(package("automated_future").UploadError, match="cannot read"):
        await result(api.artifacts.upload(test_result_id="res_1", file=tmp_path / "nope.txt"))


@SYNC_ASYNC
async def test_a_failed_confirmation_deletes_the_record_and_raises(is_async: bool) -> None:
    fake = FakeApi(confirm_status=500)
    api = client("automated_future", fake, is_async)
    with pytest.raises(package("automated_future").InternalServerError):
        await result(api.artifacts.upload(test_result_id="res_1", file=b"abc", label="x"))
    assert fake.steps == ["create", "put", "confirm", "delete"]


@SYNC_ASYNC
async def test_a_failed_cleanup_is_noted_on_the_original_error(is_async: bool) -> None:
    fake = FakeApi(put_status=403, delete_status=500)
    api = client("automated_future", fake, is_async)
    with pytest.raises(package("automated_future").PermissionDeniedError) as caught:
        await result(api.artifacts.upload(test_result_id="res_1", file=b"abc", label="x"))
    # DELETE is idempotent, so the cleanup is retried (max_retries=2) before giving up.
    assert fake.steps == ["create", "put", "delete", "delete", "delete"]
    assert any(
        "undoing the unfinished upload also failed" in note for note in caught.value.__notes__
    )


class StreamSpy(httpx.MockTransport):
    """Records whether each request body arrived as a stream rather than one bytes object."""

    def __init__(self, handler: Any) -> None:
        super().__init__(handler)
        self.streamed: list[bool] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.streamed.append(not isinstance(request.stream, httpx.ByteStream))
        return super().handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.streamed.append(not isinstance(request.stream, httpx.ByteStream))
        return await super().handle_async_request(request)


@SYNC_ASYNC
async def test_the_put_streams_the_file_from_disk(is_async: bool, tmp_path: Path) -> None:
    path = tmp_path / "video.mp4"
    path.write_bytes(b"v" * 200_000)
    fake = FakeApi()
    spy = StreamSpy(fake)
    http = httpx.AsyncClient(transport=spy) if is_async else httpx.Client(transport=spy)
    cls = getattr(
        package("automated_future"), ("Async" if is_async else "") + "AutomatedFutureClient"
    )
    api = cls(api_key="k", base_url="https://api.test.invalid/v1", http_client=http)
    await result(api.artifacts.upload(test_result_id="res_1", file=path))
    assert fake.steps == ["create", "put", "confirm", "list"]
    assert spy.streamed == [False, True, False, False]
    assert fake.put_body == path.read_bytes()
    assert fake.created["kind"] == "Video"


@SYNC_ASYNC
@pytest.mark.parametrize("bad", ["text", 42], ids=["text-mode", "not-a-file"])
async def test_a_text_or_unknown_file_is_refused_before_any_request(
    is_async: bool, tmp_path: Path, bad: str
) -> None:
    (tmp_path / "a.txt").write_text("hello", "utf-8")
    fake = FakeApi()
    api = client("automated_future", fake, is_async)
    with (tmp_path / "a.txt").open("r", encoding="utf-8") as text:
        file: Any = text if bad == "text" else 42
        with pytest.raises(package("automated_future").UploadError, match="binary mode"):
            await result(api.artifacts.upload(test_result_id="res_1", file=file))
    assert fake.calls == []
