//! The shapes of the generated operation table: [`OperationSpec`] and [`PaginatorSpec`].

/// One IVS operation as the model describes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationSpec {
    /// This entry's position in `OPERATIONS` (what the core's dispatch matches on).
    pub index: usize,
    /// The wire name, e.g. `CreateChannel`.
    pub name: &'static str,
    /// The snake_case name that boto3 uses, e.g. `create_channel`.
    pub snake_name: &'static str,
    pub http_method: &'static str,
    /// The route, e.g. `/CreateChannel` or `/tags/{resourceArn}`.
    pub request_uri: &'static str,
    /// The HTTP status of a success (200, or 204 for some deletes).
    pub success_code: u16,
    pub input_shape: Option<&'static str>,
    pub output_shape: Option<&'static str>,
    /// The modeled errors this operation may answer with.
    pub errors: &'static [&'static str],
    pub paginator: Option<PaginatorSpec>,
}

/// How an operation pages: which members carry the token, the page size and the items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaginatorSpec {
    pub input_token: &'static str,
    pub output_token: &'static str,
    pub limit_key: &'static str,
    pub result_key: &'static str,
}
