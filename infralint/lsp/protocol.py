"""pygls's protocol, with the lifecycle the specification asks for and the
bookkeeping it forgot.

- Before `initialize`, a request is answered with ServerNotInitialized and
  a notification dropped (`exit` excepted); after `shutdown`, a request is
  answered with InvalidRequest (pygls dropped it: the client waited
  forever) and a notification dropped. `exit` stops the server with code 0
  after `shutdown`, 1 without (`exit_code`); pygls raised SystemExit in the
  middle of its event loop, which lost the code.
- pygls keeps the future of every handler run under a fresh id, and never
  drops those of notifications (and of the steps of its own generator
  handlers): ~2 KB kept per `didChange`, forever. Each is dropped here when
  it is done.
- A `didChange` for a document that is not open is logged and ignored
  (pygls raised KeyError, shown to the user as a pop-up).
- Incremental changes are applied by offset (`text_edits`) instead of
  pygls's line-by-line copy of the whole buffer for every change.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future
from functools import partial
from typing import Any, Callable, Dict, Optional, Tuple
from urllib.parse import unquote

from lsprotocol import types
from pygls.protocol import LanguageServerProtocol, lsp_method
from pygls.protocol.json_rpc import MsgId, RPCRequest

from infralint.lsp.text_edits import apply_change

logger = logging.getLogger(__name__)

# JSON-RPC / LSP error codes.
INVALID_REQUEST = -32600
SERVER_NOT_INITIALIZED = -32002


class InfralintProtocol(LanguageServerProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set by `exit`: the process's exit status.
        self.exit_code: Optional[int] = None
        self.on_exit: Callable[[int], None] = lambda code: None

    @property
    def initialized(self) -> bool:
        return self._workspace is not None

    def handle_message(self, message: Any) -> None:
        method = getattr(message, "method", None)
        if method is not None and method != types.EXIT:
            refusal: Optional[Tuple[int, str]] = None
            if self._shutdown:
                refusal = (INVALID_REQUEST, f"the server is shut down: {method} refused (only `exit` is accepted)")
            elif not self.initialized and method != types.INITIALIZE:
                refusal = (SERVER_NOT_INITIALIZED, f"the server is not initialized: {method} refused")
            if refusal is not None:
                if isinstance(message, RPCRequest):
                    self.send_error(message.id, *refusal)
                else:
                    logger.info("notification dropped: %s", refusal[1])
                return
        super().handle_message(message)

    def send_error(self, msg_id: MsgId, code: int, message: str) -> None:
        self._send_response(msg_id, error=types.ResponseError(code=code, message=message))

    # Bookkeeping ------------------------------------------------------------
    def _execute_handler(self, msg_id: MsgId, handler: Any, callback: Any, args: Any = None, kwargs: Any = None) -> None:
        super()._execute_handler(msg_id, handler, callback, args, kwargs)
        future = self._request_futures.get(msg_id)
        if future is not None:
            future.add_done_callback(partial(self._forget, msg_id))

    def _forget(self, msg_id: MsgId, future: "Future[Any]") -> None:
        if self._request_futures.get(msg_id) is future:
            del self._request_futures[msg_id]

    @property
    def tracked_futures(self) -> Dict[MsgId, "Future[Any]"]:
        """Handlers in flight (tests check it stays small)."""
        return self._request_futures

    # Lifecycle ----------------------------------------------------------------
    @lsp_method(types.EXIT)
    def lsp_exit(self, *args: Any) -> None:  # type: ignore[override]
        self.exit_code = 0 if self._shutdown else 1
        logger.info("exit %s shutdown: code %d", "after" if self._shutdown else "without", self.exit_code)
        self.on_exit(self.exit_code)

    # Documents ------------------------------------------------------------------
    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams) -> Any:
        uri = params.text_document.uri
        document = self.workspace.text_documents.get(unquote(uri))
        if document is None:
            logger.warning("didChange for %s, which is not open: ignored", uri)
            return
        for change in params.content_changes:
            apply_change(document, change)
        document.version = params.text_document.version
        handler = self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)
        if handler is not None:
            yield handler, (params,), None
