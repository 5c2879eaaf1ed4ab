/** evb's logo and name at the start of the site header (the app's and the enrolment view's). */
export function SiteBrand() {
  return (
    <>
      <img className="site-logo" src="/favicon.svg" alt="" width="36" height="36" />
      <p className="site-name">
        <span className="site-name-short">evb</span>
        <span className="site-name-long">ej verkställda beslut</span>
      </p>
    </>
  );
}
