"""Previous/next links between articles (older/newer by date).

Templates ask ``neighbours(article)`` for ``(older, newer)``. A lookup rather
than two new attributes on every article: an attribute added after Pelican
built the object turns its compact attribute storage into a full dict
(about 1.3 KB more per post).
"""

from pelican import signals


def link_neighbours(generator):
    ordered = sorted(generator.articles, key=lambda a: (a.date, a.source_path))
    around = {article.source_path: (older, newer)
              for older, article, newer in zip([None, *ordered], ordered, [*ordered[1:], None])}

    def neighbours(article):
        return around.get(article.source_path, (None, None))

    generator.env.globals["neighbours"] = neighbours


def register():
    signals.article_generator_finalized.connect(link_neighbours)
