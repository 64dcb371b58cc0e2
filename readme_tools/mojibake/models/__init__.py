"""The language models recovery consults.

* :mod:`.words` -- the Chinese word-frequency model (wordfreq + jieba), with word classes;
* :mod:`.installed` -- whether the ``cjk`` extra that :mod:`.words` needs is installed;
* :mod:`.confusion` -- a character-context classifier for characters that share bytes;
* :mod:`.letters` -- character trigram models of alphabetic scripts (langdetect's profiles);
* :mod:`.punct` -- prior probabilities of punctuation and symbols;
* second opinions on uncertain Chinese choices (:mod:`.context` is their interface,
  :mod:`.find` picks the installed one): a KenLM word trigram (:mod:`.trigram`) or a small
  neural model (:mod:`.neural`, prepared by :mod:`.packaged` with :mod:`.gguf`).

A model that cannot be used raises :class:`~readme_tools.mojibake.types.ModelError`.
"""
