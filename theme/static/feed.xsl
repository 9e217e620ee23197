<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows a feed opened directly in a browser as a readable German page. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/">
    <html lang="de">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>Feed: <xsl:value-of select="atom:feed/atom:title|rss/channel/title"/></title>
        <link rel="stylesheet" href="/theme/css/wachhund.css"/>
      </head>
      <body>
        <main id="inhalt" class="wrap">
          <p class="note">Dies ist ein <strong>Feed</strong>. Kopieren Sie die Adresse aus der Adresszeile in Ihren
            Feedreader, um neue Einträge automatisch zu erhalten.</p>
          <h1><xsl:value-of select="atom:feed/atom:title|rss/channel/title"/></h1>
          <p><xsl:value-of select="atom:feed/atom:subtitle|rss/channel/description"/></p>
          <ol class="article-list">
            <xsl:for-each select="atom:feed/atom:entry|rss/channel/item">
              <li>
                <h2><a href="{atom:link/@href|link}"><xsl:value-of select="atom:title|title"/></a></h2>
                <p class="meta"><xsl:value-of select="substring(atom:updated|pubDate, 1, 25)"/></p>
              </li>
            </xsl:for-each>
          </ol>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
