"""1min.ai conversations (server-side threads) <-> LangChain messages and documents (pure).

No I/O here: ``chat_message_histories`` and ``document_loaders`` are thin sync/async shells
over ``OneMinAIClient`` and these decisions.

    _target.py     which thread a history uses; which threads it may delete
    _reading.py    a thread's turns -> messages; what the server already recorded
    _documents.py  conversations -> Documents (the loader)
"""
