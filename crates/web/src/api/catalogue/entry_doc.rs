//! How a catalogue entry looks in JSON, for the OpenAPI description only. The handlers read
//! and write the domain's `CatalogueEntry` (which keeps its own checks and carries no API
//! derive, as the domain has no web dependency); these types describe the same fields.

use utoipa::ToSchema;

/// One version of a business type's entry in the catalogue (业务公开).
#[derive(ToSchema)]
#[schema(as = CatalogueEntry)]
#[allow(dead_code)]
pub struct CatalogueEntryDoc {
    /// The business type's code in the hall (`new_residential`).
    business_type: String,
    /// `YYYY-MM-DD`, hall-local: the first day this version is shown.
    #[schema(format = Date)]
    effective_from: String,
    /// Plain description (zh).
    description: String,
    description_en: Option<String>,
    /// Who may apply.
    who_may_apply: String,
    documents: ClassDocumentsDoc,
    fees: Vec<FeeDoc>,
    /// `hall`, `app` or `95598`.
    #[schema(example = json!(["hall", "app"]))]
    channels: Vec<String>,
    /// Where to apply online, e.g. the app menu path.
    online: Option<String>,
    notes: Option<String>,
}

/// The documents to bring, per customer class (客户类别); a class left out needs none listed.
#[derive(ToSchema)]
#[schema(as = CatalogueDocuments)]
#[allow(dead_code)]
pub struct ClassDocumentsDoc {
    resident: Option<Vec<DocumentDoc>>,
    low_voltage: Option<Vec<DocumentDoc>>,
    hv_single: Option<Vec<DocumentDoc>>,
    hv_dual: Option<Vec<DocumentDoc>>,
}

/// One document a customer brings.
#[derive(ToSchema)]
#[schema(as = CatalogueDocument)]
#[allow(dead_code)]
pub struct DocumentDoc {
    name: String,
    note: Option<String>,
}

/// One fee (收费标准), in whole fen.
#[derive(ToSchema)]
#[schema(as = CatalogueFee)]
#[allow(dead_code)]
pub struct FeeDoc {
    item: String,
    fen: i64,
    /// The published basis for charging it.
    basis: String,
    /// An example amount rather than a fixed one.
    sample: Option<bool>,
    /// `resident`, `low_voltage`, `hv_single`, `hv_dual`; empty means every class.
    classes: Option<Vec<String>>,
}

/// One stored version with its flags, as `GET …/catalogue/versions` lists them.
#[derive(ToSchema)]
#[schema(as = CatalogueVersion)]
#[allow(dead_code)]
pub struct CatalogueVersionDoc {
    id: i64,
    entry: CatalogueEntryDoc,
    created_at: i64,
    /// In effect on the hall's today or earlier: cannot be edited.
    locked: bool,
    /// The version customers see today.
    current: bool,
}
