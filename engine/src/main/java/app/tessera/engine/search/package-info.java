/**
 * The query service: text or image (file, bytes, or an indexed item) to images or captions,
 * weighted combinations and negative texts, exact filters and optional re-ranking by cached float
 * features. {@link app.tessera.engine.search.SearchService} depends only on the small interfaces of
 * this package ({@link app.tessera.engine.search.QueryEncoder}, {@link
 * app.tessera.engine.search.CodeSource}, {@link app.tessera.engine.search.ItemCatalog}, {@link
 * app.tessera.engine.search.FeatureSource}), which the store and the encoders implement.
 */
package app.tessera.engine.search;
