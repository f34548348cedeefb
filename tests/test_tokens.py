"""The per-Doc token list the rules read instead of iterating spans."""
from agents.extraction.tokens import doc_tokens, tokens_of


def test_tokens_of_a_sentence_are_its_tokens(nlp):
    doc = nlp("Two people were killed. Police said 14 were hurt in the blast.")
    for sent in doc.sents:
        assert [(t.i, t.text) for t in tokens_of(sent)] == [(t.i, t.text) for t in sent]
    assert [t.i for t in tokens_of(doc)] == list(range(len(doc)))


def test_the_list_is_built_once_per_doc(nlp):
    doc = nlp("Talks between the two sides resumed on Monday.")
    first = doc_tokens(doc)
    assert doc_tokens(doc) is first
    assert tokens_of(doc[2:5])[0] is first[2]
    other = nlp("Talks between the two sides resumed on Monday.")
    assert doc_tokens(other) is not first


def test_a_retokenized_doc_gets_a_new_list(nlp):
    doc = nlp("The United Nations Security Council met in New York.")
    before = doc_tokens(doc)
    with doc.retokenize() as retok:
        retok.merge(doc[1:5])
    after = doc_tokens(doc)
    assert after is not before
    assert [t.text for t in after] == [t.text for t in doc]
